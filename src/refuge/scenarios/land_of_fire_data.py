"""The fixed tables of the Land of Fire: its map, places, shelters, catalogue, roster and defence kinds.

Positions are metres east (x) and north (y) of the map's south-west corner, on a 120 km by 90 km map.
Nothing here is random: the history generated on top of it (land_of_fire.py) is.
"""

from __future__ import annotations

WIDTH_M, HEIGHT_M = 120_000, 90_000

# How a shelter is looked after during the year; the story behind the readiness it ends up with.
KEPT = "kept"  # on a volunteer's regular run, every month or so
PATCHY = "patchy"  # visited two or three times a year
NEGLECTED = "neglected"  # on the frontier: heavy mission use, one visit early in the year, then none
CLOSED = "closed"  # closed mid-year; its stock carried to the nearest kept shelter
COMPROMISED = "compromised"  # found by enemy scouts late in the year; nobody goes there since

#: name, kind, x, y, is_base, has_hospital
PLACES = [
    ("Hidden Leaf Village", "village", 52_000, 58_000, True, False),
    ("Shukuba Town", "town", 22_000, 66_000, False, False),
    ("Tanzaku Town", "town", 28_000, 30_000, False, True),
    ("Mikawa Crossing", "town", 61_250, 47_000, False, False),
    ("Otafuku Town", "town", 84_000, 34_000, False, False),
    ("Sakai Port", "town", 64_000, 8_000, False, False),
    ("Kikyo Town", "town", 105_000, 79_000, False, False),
]

LAKE = [(85_000, 57_500), (86_000, 60_500), (88_500, 62_000), (91_500, 62_500), (94_500, 61_500),
        (95_800, 59_000), (95_500, 55_800), (93_000, 54_000), (89_500, 53_500), (86_500, 55_000)]
ISLAND = [(92_800, 58_300), (92_900, 58_900), (93_400, 59_200), (93_900, 58_900), (93_800, 58_300), (93_300, 58_000)]

#: Map features by kind; each a name and its points (a polyline for roads and rivers, else an outline).
FEATURES = {
    "roads": [
        ("West Road", [(52_000, 58_000), (38_000, 62_000), (22_000, 66_000)]),
        ("South-West Road", [(52_000, 58_000), (44_000, 46_000), (35_000, 36_000), (28_000, 30_000)]),
        ("East Road", [(52_000, 58_000), (57_000, 52_000), (61_250, 47_000), (72_000, 41_000), (84_000, 34_000)]),
        ("South Road", [(61_250, 47_000), (57_000, 30_000), (58_000, 18_000), (64_000, 8_000)]),
        ("Lake Road", [(61_250, 47_000), (72_000, 60_000), (82_000, 68_000), (95_000, 72_000), (105_000, 79_000)]),
        ("Coast Road", [(28_000, 30_000), (42_000, 14_000), (64_000, 8_000)]),
    ],
    "rivers": [
        ("Naka River", [(50_000, 90_000), (54_000, 78_000), (58_500, 64_000), (60_000, 52_000),
                        (63_000, 40_000), (61_000, 26_000), (63_500, 12_000), (62_500, 0)]),
        ("Kagami River", [(89_500, 53_500), (87_000, 44_000), (81_500, 32_000), (78_000, 15_000), (76_000, 0)]),
        ("Taki Stream", [(108_000, 90_000), (103_000, 78_000), (97_000, 68_000), (91_500, 62_500)]),
    ],
    "hills": [
        ("Hokage Rock", [(49_000, 61_000), (55_000, 61_000), (55_500, 64_000), (48_500, 64_000)]),
        ("Northern Range", [(20_000, 82_000), (45_000, 80_000), (70_000, 83_000), (85_000, 86_000),
                            (85_000, 90_000), (15_000, 90_000)]),
        ("Eastern Highlands", [(100_000, 55_000), (120_000, 50_000), (120_000, 90_000), (110_000, 90_000),
                               (104_000, 70_000)]),
        ("Southern Hills", [(33_000, 12_000), (45_000, 10_000), (50_000, 20_000), (40_000, 26_000), (32_000, 20_000)]),
    ],
    "forests": [
        ("Great Western Forest", [(3_000, 35_000), (40_000, 38_000), (46_000, 52_000), (42_000, 74_000),
                                  (5_000, 78_000)]),
        ("Forest of Death", [(44_000, 53_500), (45_800, 54_200), (46_500, 56_000), (45_800, 57_800),
                             (44_000, 58_500), (42_200, 57_800), (41_500, 56_000), (42_200, 54_200)]),
        ("Eastern Woods", [(66_000, 52_000), (80_000, 46_000), (84_000, 52_000), (82_000, 70_000), (66_000, 72_000)]),
        ("Southern Pines", [(8_000, 5_000), (30_000, 8_000), (30_000, 26_000), (10_000, 28_000)]),
    ],
    "marsh": [
        ("Reed Marsh", [(78_000, 50_000), (83_500, 52_000), (83_000, 57_000), (79_000, 58_000), (76_500, 54_000)]),
        ("Kuro Marsh", [(52_000, 0), (60_000, 0), (60_500, 5_000), (54_000, 6_500), (50_000, 4_000)]),
    ],
}

#: number, name, x, y, beds, condition, clearance, care, how to find it
SHELTERS = [
    (1, "Cedar Hollow", 46_000, 68_000, 4, "good", 1, KEPT,
     "Climb the dry gully north from the stone jizo; the hut is dug in under the largest cedar, door uphill."),
    (2, "Falls Lookout", 55_500, 80_500, 2, "fair", 2, PATCHY,
     "Cross the Naka on the stepping stones below the twin falls and take the goat path up the east cliff."),
    (3, "Crow's Rest", 61_000, 70_000, 3, "good", 1, KEPT,
     "East of the Naka oxbow, at the dead pine where the crows roost; the hatch is under the flat stone."),
    (4, "Snow Pass Hut", 35_000, 85_500, 3, "poor", 3, NEGLECTED,
     "Below the saddle of the northern pass, on the lee side of the cairn; in snow, dig on its south face."),
    (5, "Fox Shrine", 40_000, 57_000, 2, "good", 1, KEPT,
     "West of the Forest of Death, behind a moss-grown fox shrine; the ladder is under the offering box."),
    (6, "Moss Gate", 10_000, 70_000, 2, "fair", 2, PATCHY,
     "Two boulders lean together into a gate near the border; the turf-roofed hut is twenty paces beyond."),
    (7, "Three Pines", 28_000, 74_000, 4, "good", 1, KEPT,
     "On the old charcoal track north of Shukuba: three pines from one root; the door faces the middle one."),
    (8, "Owl Hollow", 16_000, 56_000, 3, "good", 2, KEPT,
     "From the dry stream follow the owl marks cut in the bark (a circle with two dots) into the hollow."),
    (9, "Bamboo Grove", 30_000, 48_000, 6, "good", 1, KEPT,
     "A bamboo thicket on a knoll; walk in from the west side only, the east side is staked."),
    (10, "Old Torii", 44_000, 40_000, 5, "good", 1, KEPT,
     "A fallen red torii on the hillside east of the South-West Road; the hut is the storehouse behind it."),
    (11, "Plum Valley", 20_000, 40_000, 4, "fair", 1, PATCHY,
     "A side valley of wild plums; the hut is cut into the north bank above the spring."),
    (12, "Boar Thicket", 4_000, 46_000, 2, "poor", 3, NEGLECTED,
     "On the western border; crawl in along the boar run through the thorns. Tripwires at knee height."),
    (13, "Stone Lantern", 36_000, 26_000, 3, "good", 1, KEPT,
     "A lone stone lantern marks the path; the hut is 50 m uphill under the overhang."),
    (14, "Hermit's Well", 14_000, 22_000, 2, "fair", 2, PATCHY,
     "An old hermit's cell in the pines; the well is dry and its ladder leads down to the store room."),
    (15, "Tanuki Den", 22_000, 12_000, 2, "good", 2, KEPT,
     "A hillside burrow in the pines, marked by a tanuki statue wearing a straw hat."),
    (16, "Camellia Bluff", 42_000, 20_000, 3, "good", 2, KEPT,
     "On the bluff where the camellias grow; the entrance is behind the bushes on the south face."),
    (17, "Kelp Cove", 46_000, 4_000, 2, "poor", 2, NEGLECTED,
     "A sea cave on the south coast, dry above the high-water mark; reachable on foot only at low tide."),
    (18, "Tide Shelf", 70_000, 3_000, 2, "fair", 2, PATCHY,
     "Climb the fishermen's steps east of the port and follow the cliff path to the rock shelf."),
    (19, "Heron Watch", 56_000, 8_500, 3, "good", 1, KEPT,
     "A disused heron hide on stilts on the rise north of the Kuro Marsh; the ladder is pulled up inside."),
    (20, "Red Maple Ridge", 48_000, 30_000, 4, "good", 1, KEPT,
     "Below the crest of the red maple ridge on its east side, hidden by an old landslip."),
    (21, "Deer Creek", 67_000, 30_000, 4, "good", 1, KEPT,
     "Follow the deer creek up from the Naka to where it forks; the hut is in the fork, under the bank."),
    (22, "Iron Pine", 53_000, 47_000, 8, "good", 1, KEPT,
     "The main relay south of the village: a charcoal-burner's lodge under an iron-barked pine."),
    (23, "Firefly Glade", 68_000, 62_000, 3, "good", 1, KEPT,
     "A glade in the Eastern Woods; the hut is under the fallen log across its north edge."),
    (24, "Wisteria Gorge", 76_000, 24_000, 3, "good", 2, KEPT,
     "Climb down into the gorge by the wisteria vines at its head; the hut is on the west wall."),
    (25, "Lantern Cave", 95_000, 40_000, 3, "fair", 3, PATCHY,
     "A limestone cave; bring a light. The first chamber is the store, the second the beds."),
    (26, "Monkey Crag", 110_000, 45_000, 2, "poor", 4, NEGLECTED,
     "An ANBU post on the crag over the eastern border; climb the north side, pitons are in place."),
    (27, "Kite Ridge", 112_000, 62_000, 2, "fair", 3, PATCHY,
     "A stone shepherd's shelter on the windy ridge; the door is on the leeward (east) side."),
    (28, "Sleeping Dragon", 112_000, 84_000, 1, "poor", 5, NEGLECTED,
     "A one-bed hide in the dragon-shaped rock above the tarn; no path, climb from the tarn's north shore."),
    (29, "Hawk's Perch", 96_000, 86_000, 2, "good", 2, KEPT,
     "A watch hut on the spur above the hawks' cliff; the path starts at the split boulder."),
    (30, "Cypress Watch", 80_000, 76_000, 4, "good", 2, KEPT,
     "Raised on the trunks of old cypresses; the rope ladder is hidden in the hollow of the thickest one."),
    (31, "Mist Terrace", 99_000, 66_000, 2, "fair", 2, PATCHY,
     "Abandoned rice terraces above the Taki; the shelter is the field hut on the highest terrace."),
    (32, "Ember Gully", 92_500, 47_000, 3, "good", 2, KEPT,
     "A gully of red rock south of the lake; the hut is behind the rockfall at the gully's head."),
    (33, "Nine Steps Shrine", 104_000, 30_000, 3, "fair", 4, PATCHY,
     "Climb the nine mossy steps to the shrine; the priest's room behind the altar is the shelter."),
    (34, "Quiet Bell", 74_000, 54_000, 2, "good", 1, KEPT,
     "Deep in the Eastern Woods; a temple bell without a clapper hangs from the oak beside the hut."),
    (35, "Crane Marsh Hut", 80_000, 54_000, 2, "fair", 2, PATCHY,
     "On a hummock in the Reed Marsh; keep to the sunken plank path, not the reeds."),
    (36, "Lotus Isle Hut", 93_300, 58_650, 2, "fair", 3, NEGLECTED,
     "On the island in the lake, about 2.5 km of water from the east shore: water-walk it (mind your "
     "chakra) or take the skiff hidden in the east-shore reeds. The hut is in the pines at the north end."),
    (37, "Hidden Spring", 70_000, 78_000, 3, "fair", 1, CLOSED,
     "A warm spring in a fold of the northern foothills; the hut is the ruined bathhouse."),
    (38, "Broken Bell", 18_000, 30_000, 2, "poor", 2, CLOSED,
     "A cracked bell lies in the grass at the path's end; the hut is in the cutting behind it."),
    (39, "Frog Rock", 6_000, 60_000, 3, "fair", 3, COMPROMISED,
     "A rock shaped like a sitting frog near the western border; the hut is under its belly."),
    (40, "Cloud Temple", 38_000, 72_000, 3, "good", 1, KEPT,
     "The ruined mountain temple in the western foothills; the shelter is the sutra store."),
]
ISLAND_SHELTER = "LF-036"

#: sku, name, category, unit, kg per unit, shelf life (days), par (min, target, capacity) for a
#: two-bed shelter, and how many one person on a mission takes at a time (None: missions do not).
ITEMS = [
    ("FOOD-RICE", "Polished rice", "food", "kg", "1.000", 730, (4, 10, 16), (1, 3)),
    ("FOOD-RATION", "Field ration pack", "food", "pack", "0.450", 1095, (6, 12, 20), (2, 4)),
    ("FOOD-SOLDIER-PILL", "Soldier pill (hyorogan)", "food", "pill", "0.005", 180, (6, 12, 24), (1, 4)),
    ("FOOD-DRIED-FISH", "Dried fish", "food", "pack", "0.200", 365, (3, 6, 10), (1, 2)),
    ("FOOD-MISO", "Freeze-dried miso soup", "food", "block", "0.030", 540, (6, 12, 20), (2, 4)),
    ("AID-BANDAGE", "Bandage roll", "first-aid", "roll", "0.050", 1825, (6, 12, 20), (1, 4)),
    ("AID-ANTIDOTE", "General antidote", "first-aid", "vial", "0.030", 365, (2, 4, 6), (1, 1)),
    ("AID-BLOOD-PILL", "Blood-increasing pill", "first-aid", "pill", "0.005", 365, (4, 8, 12), (1, 3)),
    ("AID-SALVE", "Healing salve", "first-aid", "jar", "0.080", 730, (2, 4, 6), (1, 1)),
    ("AID-SPLINT", "Splint set", "first-aid", "set", "0.300", None, (1, 2, 3), (1, 1)),
    ("AID-SUTURE", "Suture kit", "first-aid", "kit", "0.060", 1825, (1, 3, 4), (1, 1)),
    ("WPN-KUNAI", "Kunai", "weapons", "piece", "0.150", None, (6, 12, 20), (2, 5)),
    ("WPN-SHURIKEN", "Shuriken", "weapons", "piece", "0.040", None, (10, 20, 30), (2, 8)),
    ("WPN-SENBON", "Senbon needles (pack of 10)", "weapons", "pack", "0.030", None, (2, 4, 6), (1, 2)),
    ("WPN-WIRE", "Ninja wire (20 m reel)", "weapons", "reel", "0.150", None, (2, 4, 6), (1, 1)),
    ("WPN-SMOKE-BOMB", "Smoke bomb", "weapons", "piece", "0.100", 1095, (2, 4, 8), (1, 2)),
    ("SEAL-EXPLODING-TAG", "Exploding tag", "seals", "tag", "0.004", 1095, (6, 12, 24), (1, 4)),
    ("SEAL-FLASH-TAG", "Flash tag", "seals", "tag", "0.004", 730, (2, 6, 10), (1, 2)),
    ("SEAL-BARRIER-TAG", "Barrier tag", "seals", "tag", "0.004", 730, (2, 4, 8), (1, 2)),
    ("SEAL-STORAGE-SCROLL", "Storage scroll", "seals", "scroll", "0.250", None, (1, 2, 3), (1, 1)),
    ("CLOTH-TABI", "Tabi socks", "clothing", "pair", "0.080", None, (2, 4, 8), None),
    ("CLOTH-MESH-SHIRT", "Mesh undershirt", "clothing", "piece", "0.250", None, (1, 2, 4), None),
    ("CLOTH-RAIN-CLOAK", "Rain cloak", "clothing", "piece", "0.700", None, (1, 2, 3), None),
    ("CLOTH-SANDALS", "Shinobi sandals", "clothing", "pair", "0.400", None, (1, 2, 3), None),
    ("TOOL-ROPE", "Hemp rope (15 m)", "tools", "coil", "1.200", None, (1, 1, 2), None),
    ("TOOL-LAMP-OIL", "Lamp oil", "tools", "litre", "0.900", 730, (1, 2, 4), None),
    ("TOOL-FLINT", "Flint and steel", "tools", "set", "0.080", None, (1, 1, 2), None),
    ("TOOL-WATER-TABS", "Water purifying tablets (strip of 10)", "tools", "strip", "0.020", 1825, (2, 4, 8), None),
    ("COMF-TEA", "Green tea", "comforts", "tin", "0.100", 730, (0, 2, 4), None),
    ("COMF-KONPEITO", "Konpeito sweets", "comforts", "bag", "0.100", 365, (0, 2, 4), None),
    ("COMF-BOOK", "Make-Out Paradise (paperback)", "comforts", "copy", "0.300", None, (0, 1, 1), None),
]
#: Categories a shelter may go without a few items of (the rest every shelter stocks).
OPTIONAL_CATEGORIES = ("clothing", "tools", "comforts")

#: name, the name they are called by (for the handle), rank, skills, clearance, max chakra,
#: condition, available, notes
PEOPLE = [
    ("Tsunade", None, "kage", ("medic", "seals"), 5, 260, "fit", True, "Fifth Hokage"),
    ("Shizune", None, "jonin", ("medic", "water-walking"), 4, 150, "fit", True, "The Hokage's aide"),
    ("Kakashi Hatake", None, "jonin", ("tracking", "seals", "water-walking", "traps"), 4, 140, "tired", True, ""),
    ("Iruka Umino", None, "chunin", ("teacher", "traps", "seals", "water-walking"), 2, 110, "fit", True,
     "Academy teacher; walks maintenance runs in the summer break"),
    ("Might Guy", "Guy", "jonin", ("taijutsu", "water-walking"), 3, 220, "fit", True, ""),
    ("Kurenai Yuhi", None, "jonin", ("genjutsu", "sensor", "water-walking"), 3, 160, "fit", True, ""),
    ("Asuma Sarutobi", None, "jonin", ("barrier", "tracking", "water-walking"), 3, 170, "fit", True, ""),
    ("Yamato", None, "jonin", ("wood", "water", "barrier", "water-walking"), 4, 200, "fit", True,
     "Repairs shelters with wood release"),
    ("Sakura Haruno", None, "chunin", ("medic", "water-walking"), 2, 120, "fit", True, ""),
    ("Naruto Uzumaki", None, "genin", ("seals", "water-walking"), 1, 400, "fit", True, ""),
    ("Sasuke Uchiha", None, "genin", ("tracking", "water-walking"), 1, 180, "fit", False, "Away from the village"),
    ("Hinata Hyuga", None, "chunin", ("sensor", "medic", "water-walking"), 2, 130, "fit", True, ""),
    ("Shikamaru Nara", None, "chunin", ("traps", "tactics"), 2, 100, "fit", True, ""),
    ("Ino Yamanaka", None, "chunin", ("medic", "sensor"), 2, 100, "fit", True, ""),
    ("Choji Akimichi", None, "chunin", ("water-walking",), 2, 160, "fit", True, ""),
    ("Kiba Inuzuka", None, "chunin", ("tracking",), 2, 120, "injured", False, "Recovering from a mission"),
    ("Shino Aburame", None, "chunin", ("tracking", "sensor"), 2, 120, "fit", True, ""),
    ("Neji Hyuga", None, "jonin", ("sensor", "water-walking"), 3, 150, "fit", True, ""),
    ("Tenten", None, "chunin", ("seals", "traps"), 2, 100, "fit", True, "Keeps the weapons boxes"),
    ("Rock Lee", "Lee", "chunin", ("taijutsu",), 2, 60, "fit", True, "Cannot mould chakra for techniques"),
    ("Anko Mitarashi", None, "special-jonin", ("traps", "tracking", "seals"), 3, 140, "fit", True, ""),
    ("Ibiki Morino", None, "special-jonin", ("traps", "interrogation"), 4, 120, "fit", True, ""),
    ("Genma Shiranui", None, "special-jonin", ("barrier", "seals", "water-walking"), 3, 140, "fit", True, ""),
    ("Raido Namiashi", None, "special-jonin", ("barrier", "seals"), 3, 130, "fit", True, ""),
    ("Izumo Kamizuki", None, "chunin", ("traps", "barrier"), 2, 110, "fit", True, "Maintenance volunteer"),
    ("Kotetsu Hagane", None, "chunin", ("traps",), 2, 110, "fit", True, "Maintenance volunteer"),
    ("Ebisu", None, "special-jonin", ("teacher", "seals"), 3, 120, "fit", True, ""),
    ("Konohamaru Sarutobi", None, "genin", ("seals",), 1, 90, "fit", True, ""),
    ("Sai", None, "anbu", ("seals", "sensor", "tracking"), 4, 140, "fit", True, ""),
    ("Shikaku Nara", None, "jonin", ("tactics", "traps"), 4, 130, "fit", True, "Jonin commander"),
]
#: Who walks maintenance runs, and how often each is the one who goes.
VOLUNTEERS = {"iruka": 4, "izumo": 2, "kotetsu": 2, "tenten": 1, "yamato": 1, "ebisu": 1}

MISSION_OBJECTIVES = [
    "escort a merchant caravan", "track a missing-nin", "recover a stolen scroll", "patrol the border",
    "deliver a sealed message", "hunt the bandits on the road", "survey the river crossings",
    "guard a daimyo's envoy", "find a lost genin team", "scout an enemy camp",
]

#: kind: (code letter, names, test interval days, charge life days, arming instructions)
DEFENCE_KINDS = {
    "barrier": ("B", ["perimeter barrier", "concealment barrier"], 180, 365, [
        "Touch the four corner tags in order north, east, south, west and mould chakra through Dog, Boar "
        "and Ram; the barrier rises when the tags warm. Release in the reverse order.",
        "Kneel at the centre stone and press both palms to the seal; hold the Tiger sign for ten breaths.",
    ]),
    "ward": ("W", ["door ward", "sensing ward on the path"], 90, 120, [
        "Touch the sigil on the lintel with two fingers, give the month's password and feed chakra until "
        "the ink glows blue; anyone who skips this is marked.",
        "Step over the threshold right foot first and trace the ward's circle anticlockwise.",
    ]),
    "trap": ("T", ["kunai tripwire on the approach", "pit trap by the door", "log fall over the path"], 60, None, [
        "Approach along the left-hand wall; re-tension the wire at the second marker and seat the trigger "
        "pin. Never step on the moss strip.",
        "Lay the cover boards back over the pit from the far side, then brush leaves over them.",
    ]),
    "alarm": ("A", ["bell line across the path", "clay-bird alarm"], 45, None, [
        "Hook the bell line to the ring under the eaves; it is live when the red thread is taut.",
        "Wind the clay bird's key three turns and set it on its perch facing the path.",
    ]),
}

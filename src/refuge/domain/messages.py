"""Reading a check-in's free text for the sender's state, and for the last call that ends a mission.

Ending a mission on a misread message is worse than not ending it, so closing works from a short
list of exact sentences, not from keywords: a message closes its mission only when every sentence in
it is a plain safety confirmation, a plain closing command or a sign-off, with at least one of the
first two kinds each. "He's here and safe. End mission." closes; "He's not safe. End mission?",
"If he's safe, end mission.", "Kiba said he's safe. End mission." and "Can't end mission." do not.
The phrases are listed in docs/missions.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from refuge.domain.checkins import CheckinStatus

_SUBJECT = r"(?:he|she|they|we|i|everyone|everybody|all of us|the team|the whole team|[a-z][a-z-]*)"
_BE = r"(?:\s+is|\s+are|\s+am|'s|'re|'m)"
_WHERE = r"(?:here|back|home|with us|with me|at the shelter|at the hospital|out)"
#: "He's here and safe", "we are back and safe", "Kiba is safe", "all safe", "safe and sound".
SAFE = re.compile(rf"(?:{_SUBJECT}{_BE}\s+)?(?:{_WHERE}\s+and\s+)?(?:all\s+)?safe(?:\s+and\s+sound)?"
                  rf"(?:\s+and\s+{_WHERE})?(?:\s+now)?")
#: "End mission", "end the mission", "mission complete", "mission accomplished", "close the mission".
END = re.compile(r"(?:please\s+)?(?:end|close)\s+(?:the\s+)?mission(?:\s+now)?"
                 r"|mission\s+(?:complete|completed|accomplished|over)")
#: Sentences that say nothing about the state and may stand beside a last call.
SIGN_OFF = re.compile(r"over(?:\s+and\s+out)?|out|thanks|thank you|desk|roger")

#: Words that make any sentence other than a plain statement: nothing holding one closes a mission.
_UNCERTAIN = re.compile(
    r"\b(?:not|no|never|nobody|neither|nor|cannot|can't|cant|won't|wont|don't|dont|doesn't|isn't|aren't|"
    r"wasn't|weren't|didn't|shouldn't|wouldn't|couldn't|if|unless|until|once|when|whether|maybe|perhaps|"
    r"probably|possibly|might|may|should|would|could|hope|hopefully|think|thought|believe|seems?|apparently|"
    r"said|says|say|told|tells|reports?|reported|claims?|claimed|heard|rumou?r|supposedly|before|yet|almost|"
    r"nearly|soon|later|after|tomorrow|wait|don't|do|did|does|instead|but|except|unsafe)\b")
_HELP = re.compile(r"\b(?:help|backup|back-up|reinforcements|medic|evacuat\w*|trapped|pinned down|ambush\w*|"
                   r"under attack|surrounded|mayday|sos)\b")
_WOUNDED = re.compile(r"\b(?:wounded|injured|hurt|bleeding|broken|poisoned|unconscious|down)\b")


@dataclass(frozen=True)
class Reading:
    """What a message says, read cautiously."""

    #: The state the message states plainly, or UNKNOWN.
    status: CheckinStatus
    #: True only for an unambiguous last call: the person is confirmed safe and the mission is to end.
    ends_mission: bool
    #: Why the message was not taken as a last call, for the desk to see (empty when it was, or when
    #: it never tried to be one).
    doubts: tuple[str, ...] = ()


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, single spaces (line breaks kept: they end a sentence)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return re.sub(r"[^\S\n]+", " ", text.strip().lower())


def sentences(text: str) -> list[tuple[str, str]]:
    """(sentence, the mark that ended it: '.', '!', '?' or '') for each sentence or clause of the message."""
    found = []
    for match in re.finditer(r"([^.,!?;:\n]+)([.,!?;:\n]*)", normalise(text)):
        body = match.group(1).strip(" ,:-\u2014\"'")
        if body:
            found.append((body, "?" if "?" in match.group(2) else (match.group(2)[:1] or "")))
    return found


def read_message(text: str) -> Reading:
    """Read a check-in message: its plain status, and whether it is an unambiguous last call."""
    parts = sentences(text)
    if not parts:
        return Reading(CheckinStatus.UNKNOWN, False)
    kinds = [_kind(body, mark) for body, mark in parts]
    status = _status(parts, kinds)
    wants_end = any(END.search(body) for body, _ in parts)
    closes = status is CheckinStatus.SAFE and "end" in kinds and "safe" in kinds \
        and all(kind in ("safe", "end", "sign-off") for kind in kinds)
    doubts: tuple[str, ...] = ()
    if wants_end and not closes:
        doubts = tuple(f"{body!r} is not a plain confirmation or closing call"
                       for (body, mark), kind in zip(parts, kinds) if kind not in ("safe", "end", "sign-off"))
        if "safe" not in kinds:
            doubts += ("nobody is confirmed safe",)
        if "end" not in kinds:
            doubts += ("no plain call to end the mission",)
    return Reading(status, closes, doubts)


def _kind(body: str, mark: str) -> str:
    if mark == "?" or _UNCERTAIN.search(body):
        return "uncertain"
    if SAFE.fullmatch(body):
        return "safe"
    if END.fullmatch(body):
        return "end"
    if SIGN_OFF.fullmatch(body):
        return "sign-off"
    if _HELP.search(body):
        return "help"
    if _WOUNDED.search(body):
        return "wounded"
    return "other"


def _status(parts: list[tuple[str, str]], kinds: list[str]) -> CheckinStatus:
    """A plain call for help outranks a wound, which outranks "safe"; anything uncertain about safety
    leaves the status unknown rather than safe."""
    if "help" in kinds:
        return CheckinStatus.NEEDS_HELP
    if "wounded" in kinds:
        return CheckinStatus.WOUNDED
    if "safe" in kinds and not any(kind == "uncertain" and "safe" in body
                                   for (body, _), kind in zip(parts, kinds)):
        return CheckinStatus.SAFE
    return CheckinStatus.UNKNOWN

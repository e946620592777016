"""Mission desk commands: missions, check-ins, overdue alerts, reports and emergencies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from refuge.api.mission_schemas import (
    AcceptedOut,
    AlertOut,
    CheckedInOut,
    MissionOut,
    OverdueOut,
    ProposalOut,
    ReportOut,
    ResponderOut,
)
from refuge.cli.context import navigator, ready
from refuge.cli.options import Json, _option
from refuge.cli.output import plain, print_json, say, show, table
from refuge.domain.errors import InvalidInput
from refuge.domain.missions import parse_schedule, parse_status
from refuge.domain.values import parse_datetime
from refuge.services import missions as desk
from refuge.services.missions import MissionView

mission_app = typer.Typer(no_args_is_help=True, help="Create, assign, start, report on, end and show missions.")
alerts_app = typer.Typer(no_args_is_help=True, help="Overdue alerts: list and acknowledge.")

Code = Annotated[str, typer.Argument(metavar="MISSION", help="Mission code, e.g. M-0001.", show_default=False)]
When = Annotated[str | None, _option("--at", "ISO-TIME", "When, e.g. 2026-05-01T14:30 (UTC unless a zone is given; "
                                     "default now; never in the future).")]
AsPerson = Annotated[str | None, _option("--as", "PERSON", "Who asks: only missions they are cleared for appear.")]
Team = Annotated[str | None, _option("--team", "A,B", "Team members, comma-separated handles or names.")]
Many = Annotated[list[str] | None, typer.Option(show_default=False)]


def _time(value: str | None, field: str = "time") -> datetime | None:
    return parse_datetime(value, field=field) if value else None


def _names(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def missions(ctx: typer.Context, status: Annotated[str | None, _option("--status", "STATUS", "Only missions in this "
             "status: draft, assigned, under-way, complete, failed, aborted.")] = None,
             as_person: AsPerson = None, as_json: Json = False) -> None:
    """List missions with their status, team and next check-in due."""
    views = desk.missions(ready(ctx), parse_status(status) if status else None, as_person)
    if as_json:
        return print_json([MissionOut.of_view(view) for view in views])
    if not views:
        return say("no missions")
    now = datetime.now().astimezone()
    show(table(None, ["code", "rank", "status", "title", "leader", "team", "next check-in", "alerts"],
               [[v.mission.code, v.mission.rank.value, v.mission.status.value, v.mission.title, v.mission.leader or None,
                 ", ".join(v.mission.team) or None, _due(v, now), sum(1 for a in v.alerts if a.open) or None]
                for v in views]))


def _due(view: MissionView, now: datetime) -> str | None:
    if view.due is None:
        return None
    return plain(view.due.due_at) + (" OVERDUE" if view.overdue(now) else "")


def new(ctx: typer.Context, title: Annotated[str, typer.Argument(metavar="TITLE", help="What the mission is.")],
        rank: Annotated[str, _option("--rank", "D|C|B|A|S", "Mission rank.")],
        objective: Annotated[list[str] | None, _option("--objective", "TEXT", "An objective (repeat for more).")] = None,
        leader: Annotated[str | None, _option("--leader", "PERSON", "Leader: the mission is assigned at once.")] = None,
        team: Team = None, client: Annotated[str, _option("--client", "NAME", "Who asked for it.")] = "",
        start: Annotated[str | None, _option("--start", "ISO-TIME", "Planned start.")] = None,
        deadline: Annotated[str | None, _option("--deadline", "ISO-TIME", "Deadline.")] = None,
        area: Annotated[str, _option("--area", "TEXT", "Area or route.")] = "",
        checkins: Annotated[str | None, _option("--checkins", "SCHEDULE", "'every 6h' or 'POINT@TIME; POINT@TIME'.")] = None,
        grace: Annotated[int | None, _option("--grace", "MINUTES", "How late a check-in may be (default 60).")] = None,
        classification: Annotated[int, typer.Option("--classification", metavar="1-5",
                                                    help="Clearance needed to see it.")] = 1,
        as_json: Json = False) -> None:
    """Create a mission (a draft; assigned at once with --leader)."""
    made = desk.create(ready(ctx), title, rank, client=client, objectives=objective or [], leader=leader,
                       team=_names(team), start=_time(start, "start"), deadline=_time(deadline, "deadline"), area=area,
                       schedule=parse_schedule(checkins, grace), classification=classification)
    if as_json:
        return print_json(MissionOut.of(made))
    say(f"mission {made.code} created ({made.status.value}): {made.rank.value}-rank, {made.title}")


def assign(ctx: typer.Context, code: Code, leader: Annotated[str, _option("--leader", "PERSON", "Who leads it.")],
           team: Team = None, as_json: Json = False) -> None:
    """Give a draft mission its leader and team."""
    done = desk.assign(ready(ctx), code, leader, _names(team))
    if as_json:
        return print_json(MissionOut.of(done))
    say(f"mission {done.code} assigned to {done.leader} (team: {', '.join(done.team)})")


def start(ctx: typer.Context, code: Code, at: When = None, as_json: Json = False) -> None:
    """The team has left: the mission is under way and its check-in clock starts."""
    done = desk.start(ready(ctx), code, _time(at, "at"))
    if as_json:
        return print_json(MissionOut.of(done))
    say(f"mission {done.code} under way since {plain(done.started_at)}")


def end(ctx: typer.Context, code: Code,
        outcome: Annotated[str, _option("--outcome", "complete|failed|aborted", "How it ended.")] = "complete",
        note: Annotated[str, _option("--note", "TEXT", "What happened.")] = "", at: When = None,
        as_json: Json = False) -> None:
    """End a mission: complete, failed or aborted."""
    done = desk.end(ready(ctx), code, outcome, note, _time(at, "at"))
    if as_json:
        return print_json(MissionOut.of(done))
    say(f"mission {done.code} {done.status.value} at {plain(done.ended_at)}")


def report(ctx: typer.Context, code: Code, by: Annotated[str, _option("--by", "PERSON", "Who reports (on the team).")],
           met: Annotated[str | None, _option("--met", "N,N", "Numbers of the objectives met.")] = None,
           used: Annotated[list[str] | None, _option("--used", "SHELTER:SKU:QTY[@TIME]",
                                                     "Supplies used at a shelter (repeat for more).")] = None,
           injury: Annotated[list[str] | None, _option("--injury", "PERSON:TEXT", "An injury (repeat).")] = None,
           equipment: Annotated[list[str] | None, _option("--equipment", "WHAT:sharpen|replace[:N]",
                                                          "Equipment for the armoury (repeat).")] = None,
           narrative: Annotated[str, _option("--narrative", "TEXT", "What happened, in words.")] = "",
           at: When = None, as_json: Json = False) -> None:
    """File a mission report; supplies used become consume movements, once, however often it is sent."""
    filed = desk.file_report(ready(ctx), desk.report_request(
        code, by, at, objectives_met=_numbers(met), supplies=[_supply(text) for text in used or []],
        injuries=[_pair(text, "--injury", "PERSON:TEXT") for text in injury or []],
        equipment=[_equipment(text) for text in equipment or []], narrative=narrative))
    if as_json:
        return print_json(ReportOut.of(filed))
    if filed.replayed:
        return say(f"mission {filed.report.mission} already has this report: nothing written")
    say(f"report filed for {filed.report.mission}: {len(filed.movements)} consume movement(s) posted, "
        f"{len(filed.report.injuries)} injur{'y' if len(filed.report.injuries) == 1 else 'ies'}, "
        f"{len(filed.armoury)} armoury request(s)")


def _numbers(text: str | None) -> list[int]:
    try:
        return [int(part) for part in _names(text)]
    except ValueError:
        raise InvalidInput(f"--met {text!r}: give objective numbers such as 1,3") from None


def _supply(text: str) -> tuple[str, str, str, str | None]:
    body, _, used_at = text.partition("@")
    parts = body.split(":")
    if len(parts) != 3:
        raise InvalidInput(f"--used {text!r}: expected SHELTER:SKU:QTY, e.g. LF-001:FOOD-RICE:2")
    return parts[0], parts[1], parts[2], used_at or None


def _pair(text: str, option: str, shape: str) -> tuple[str, str]:
    first, sep, rest = text.partition(":")
    if not sep or not first.strip() or not rest.strip():
        raise InvalidInput(f"{option} {text!r}: expected {shape}")
    return first.strip(), rest.strip()


def _equipment(text: str) -> tuple[str, str, int]:
    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0].strip():
        raise InvalidInput(f"--equipment {text!r}: expected WHAT:sharpen|replace[:N]")
    try:
        return parts[0].strip(), parts[1], int(parts[2]) if len(parts) == 3 else 1
    except ValueError:
        raise InvalidInput(f"--equipment {text!r}: the count must be a whole number") from None


def show_mission(ctx: typer.Context, code: Code, as_person: AsPerson = None, as_json: Json = False) -> None:
    """One mission in full: objectives, team, check-ins, alerts and report."""
    view = desk.show(ready(ctx), code, as_person)
    out = MissionOut.of_view(view, full=True)
    if as_json:
        return print_json(out)
    m = view.mission
    say(f"{m.code} {m.rank.value}-rank {m.kind.value}: {m.title} [{m.status.value}]")
    say(f"leader {m.leader or '—'}; team {', '.join(m.team) or '—'}" + (f"; for {m.subject}" if m.subject else ""))
    for number, objective in enumerate(m.objectives, 1):
        mark = {True: "met", False: "not met", None: "open"}[objective.met]
        say(f"  {number}. {objective.text} ({mark})")
    if view.due:
        say(f"next check-in due {plain(view.due.due_at)}" + (f" at {view.due.point}" if view.due.point else "")
            + f", overdue after {plain(view.due.overdue_from)}")
    if view.checkins:
        show(table("check-ins", ["time", "person", "status", "point", "message"],
                   [[c.at, c.person, c.status.value, c.point, c.message] for c in view.checkins]))
    for alert in view.alerts:
        say(f"alert {alert.id}: due {plain(alert.due_at)}, up to {alert.level.value}"
            + (f", acknowledged by {alert.acknowledged_by}" if alert.acknowledged_by else ""))
    if m.outcome:
        say(f"outcome: {m.outcome}")


def checkin(ctx: typer.Context, code: Code,
            person: Annotated[str, typer.Argument(metavar="PERSON", help="Who checks in (on the team).")],
            message: Annotated[str, typer.Argument(metavar="[MESSAGE]", help="What they said.")] = "",
            status: Annotated[str | None, _option("--status", "safe|needs-help|wounded", "Their state, if not read "
                                                  "from the message.")] = None,
            position: Annotated[str | None, _option("--position", "X,Y", "Where they are, metres east,north.")] = None,
            point: Annotated[str | None, _option("--point", "NAME", "The named check-in point they report from.")] = None,
            at: When = None, as_json: Json = False) -> None:
    """Record a check-in; "He's here and safe. End mission." ends the mission."""
    x, y = _position(position)
    done = desk.check_in(ready(ctx), code, person, at=_time(at, "at"), status=status, message=message, x=x, y=y,
                         point=point)
    if as_json:
        return print_json(CheckedInOut.of(done.checkin, done.reading, done.mission))
    say(f"check-in from {done.checkin.person} on {done.mission.code}: {done.checkin.status.value}")
    if done.checkin.ended_mission:
        say(f"last call heard: {done.checkin.person} confirmed safe; mission {done.mission.code} complete")
    for doubt in done.reading.doubts:
        say(f"not ending the mission: {doubt}")


def _position(text: str | None) -> tuple[float | None, float | None]:
    if not text:
        return None, None
    try:
        x, y = (float(part) for part in text.split(","))
    except ValueError:
        raise InvalidInput(f"--position {text!r}: expected X,Y in metres, e.g. 12000,21000") from None
    return x, y


def overdue(ctx: typer.Context, at: When = None, as_json: Json = False) -> None:
    """Find missions whose check-ins are overdue (now, or at --at) and send their alerts up the ladder."""
    scan = desk.detect_overdue(ready(ctx), _time(at, "at"))
    if as_json:
        return print_json(OverdueOut.of(scan))
    if not scan.overdue:
        say(f"nothing overdue at {plain(scan.at)}")
    else:
        show(table(f"overdue at {plain(scan.at)}", ["code", "title", "leader", "due", "alert", "level"],
                   [[m.code, m.title, m.leader, d.due_at, a.id, a.level.value] for m, d, a in scan.overdue]))
    for alert, notice in scan.sent:
        say(f"alert {alert}: told {notice.recipient} ({notice.step.value}) at {plain(notice.at)}")


def list_alerts(ctx: typer.Context, open_only: Annotated[bool, typer.Option("--open", help="Only open alerts.")] = False,
                as_json: Json = False) -> None:
    """Overdue alerts and how far up the ladder each went."""
    found = desk.alerts(ready(ctx), open_only)
    if as_json:
        return print_json([AlertOut.of(a) for a in found])
    if not found:
        return say("no alerts")
    show(table(None, ["#", "mission", "due", "level", "acknowledged by", "at"],
               [[a.id, a.mission, a.due_at, a.level.value, a.acknowledged_by, a.acknowledged_at] for a in found]))


def ack(ctx: typer.Context, alert: Annotated[int, typer.Argument(metavar="ALERT", help="Alert number.")],
        by: Annotated[str, _option("--by", "PERSON", "Who acknowledges.")], at: When = None,
        as_json: Json = False) -> None:
    """Acknowledge an alert; the first acknowledgement stops its ladder."""
    done = desk.acknowledge(ready(ctx), alert, by, _time(at, "at"))
    if as_json:
        return print_json(AlertOut.of(done))
    say(f"alert {done.id} on {done.mission} acknowledged by {done.acknowledged_by}")


def emergency(ctx: typer.Context, skill: Annotated[str, typer.Argument(metavar="SKILL", help="Needed skill, e.g. medic.")],
              place: Annotated[str, typer.Argument(metavar="PLACE", help="A place name, shelter code or X,Y.")],
              person: Annotated[str, typer.Argument(metavar="PERSON", help="Who needs it.")],
              accept: Annotated[str | None, _option("--accept", "RESPONDER", "Send this responder on a rescue.")] = None,
              classification: Annotated[int, typer.Option("--classification", metavar="1-5",
                                                          help="Clearance the rescue needs.")] = 1,
              limit: Annotated[int, typer.Option("--limit", metavar="N", min=1, help="At most N responders.")] = 5,
              as_json: Json = False) -> None:
    """"A medic is needed at PLACE for PERSON": who can go, fastest first, and the way (--accept sends one)."""
    guide = navigator(ctx)  # over the ready database
    db = guide.db
    from refuge.services import emergencies  # the route search loads only for this command

    if accept:
        mission, chosen = emergencies.accept(db, skill, place, person, accept, classification, guide)
        if as_json:
            return print_json(AcceptedOut(mission=MissionOut.of(mission), responder=ResponderOut.of(chosen)))
        return say(f"{chosen.person.handle} sent: rescue mission {mission.code} under way, about "
                   f"{round(chosen.time_s / 60)} min to {mission.area}; check-ins every 2 h")
    proposal = emergencies.propose(db, skill, place, person, classification, limit, guide)
    if as_json:
        return print_json(ProposalOut.of(proposal))
    say(f"{skill} needed at {proposal.place} for {proposal.subject.name} (clearance {proposal.clearance})")
    if not proposal.responders:
        say("nobody can go")
    else:
        show(table(None, ["#", "handle", "from", "min", "km", "chakra", "how", "shelters on the way"],
                   [[n, r.person.handle, r.start_from, round(r.time_s / 60), f"{r.distance_m / 1000:.1f}", f"{r.chakra:g}",
                     r.method, ", ".join(code for code, *_ in r.shelters) or None]
                    for n, r in enumerate(proposal.responders, 1)]))
    for handle, reason in proposal.excluded:
        say(f"not proposed: {handle} ({reason})")


for command, name in ((new, "new"), (assign, "assign"), (start, "start"), (report, "report"), (end, "end"),
                      (show_mission, "show")):
    mission_app.command(name)(command)
alerts_app.command("list")(list_alerts)
alerts_app.command("ack")(ack)

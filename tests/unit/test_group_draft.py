from datetime import date, time

from bot.domain.group_draft import AreaOptions, GroupDraft, Step, answer
from bot.domain.models import Area
from bot.domain.parsing import Invalid, Problem

TODAY = date(2026, 11, 28)
ONE_AREA = AreaOptions((Area(1, "Kuopio"),), may_create=False)
ALL_AREAS = AreaOptions((Area(1, "Kuopio"), Area(2, "Siilinjärvi")), may_create=True)


def walk(options: AreaOptions, *answers: str) -> GroupDraft | Invalid:
    draft: GroupDraft | Invalid = GroupDraft()
    for text in answers:
        assert isinstance(draft, GroupDraft)
        draft = answer(draft, text, options, TODAY)
    return draft


def test_a_coordinator_of_one_area_skips_the_area_question() -> None:
    draft = walk(ONE_AREA, "Tiistairyhmä", "13.1.2027", "17.30", "6", "fi")
    assert isinstance(draft, GroupDraft)
    assert draft.step is Step.CONFIRM
    assert (draft.area_id, draft.first_date, draft.local_time) == (
        1,
        date(2027, 1, 13),
        time(17, 30),
    )
    assert draft.weekday == 2  # Wednesday


def test_a_coordinator_of_all_areas_picks_or_names_one() -> None:
    picked = walk(ALL_AREAS, "Ryhmä", "#2")
    assert isinstance(picked, GroupDraft) and picked.area_name == "Siilinjärvi"
    typed = walk(ALL_AREAS, "Ryhmä", "kuopio")
    assert isinstance(typed, GroupDraft) and typed.area_id == 1
    new = walk(ALL_AREAS, "Ryhmä", "Iisalmi")
    assert isinstance(new, GroupDraft) and (new.area_id, new.area_name) == (None, "Iisalmi")


def test_area_coordinators_cannot_name_new_areas_or_forge_ids() -> None:
    options = AreaOptions((Area(1, "Kuopio"), Area(3, "Varkaus")), may_create=False)
    assert walk(options, "Ryhmä", "Iisalmi") == Invalid(Problem.NOT_UNDERSTOOD)
    assert walk(options, "Ryhmä", "#2") == Invalid(Problem.NOT_UNDERSTOOD)


def test_bad_answers_leave_the_step_as_it_was() -> None:
    at_date = walk(ONE_AREA, "Ryhmä")
    assert isinstance(at_date, GroupDraft)
    assert answer(at_date, "31.2.", ONE_AREA, TODAY) == Invalid(Problem.NO_SUCH_DATE)
    at_time = answer(at_date, "13.1.", ONE_AREA, TODAY)
    assert isinstance(at_time, GroupDraft)
    assert answer(at_time, "25:00", ONE_AREA, TODAY) == Invalid(Problem.NO_SUCH_TIME)
    assert walk(ONE_AREA, "  ") == Invalid(Problem.EMPTY)
    assert walk(ONE_AREA, "R", "13.1.", "18", "0") == Invalid(Problem.TOO_FAR)
    assert walk(ONE_AREA, "R", "13.1.", "18", "6", "de") == Invalid(Problem.NOT_UNDERSTOOD)


def test_drafts_survive_a_round_trip_through_json() -> None:
    draft = walk(ONE_AREA, "Ryhmä", "13.1.", "18")
    assert isinstance(draft, GroupDraft)
    assert GroupDraft.from_json(draft.to_json()) == draft


def test_the_summary_changes_one_answer_and_returns() -> None:
    """Issue 12 item 7: one wrong answer meant starting again."""
    draft = walk(ALL_AREAS, "Ryhmä", "#1", "13.1.2027", "17.30", "6", "fi", "!date")
    assert isinstance(draft, GroupDraft) and draft.step is Step.DATE and draft.editing
    assert walk(ALL_AREAS, "Ryhmä", "#1", "13.1.2027", "17.30", "6", "fi", "!date", "eilen") == (
        Invalid(Problem.NOT_UNDERSTOOD)
    )
    changed = answer(draft, "20.1.2027", ALL_AREAS, TODAY)
    assert isinstance(changed, GroupDraft) and changed.step is Step.CONFIRM
    assert changed.first_date == date(2027, 1, 20) and not changed.editing
    assert (changed.name, changed.local_time, changed.language) == ("Ryhmä", time(17, 30), "fi")
    renamed = walk(ALL_AREAS, "Ryhmä", "#1", "13.1.2027", "17.30", "6", "fi", "!name", "Uusi")
    assert isinstance(renamed, GroupDraft) and renamed.step is Step.CONFIRM  # not the area again
    assert (renamed.name, renamed.area_id) == ("Uusi", 1)


def test_only_real_steps_can_be_changed() -> None:
    for wrong in ("!confirm", "!nothing", "date", "!area"):
        assert walk(ONE_AREA, "R", "13.1.2027", "17.30", "6", "fi", wrong) == Invalid(
            Problem.NOT_UNDERSTOOD
        )  # one area: nothing to choose

"""Build the shipped example session: a fictional group dialogue, fully logged and harvested.

A team of team managers in elderly care (the invented Zorggroep De Linde) talks about the
situation "De dochter die blijft bellen" with the group dialogue format, on 12 March 2026.
Every name, place and story in it is made up. The session holds notes of every kind in all
six rounds, one room-only note, a participant who did not consent to be named and one who
stays anonymous, stars, dot votes, themes, take-aways, action agreements and round timers:
everything the harvest export can show.

    python tools/make_example_session.py [SESSIONS_DIR]

SESSIONS_DIR defaults to the repository's sessions/ folder. The script never overwrites:
if the session file already exists it stops with exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tinydb.operations import delete  # noqa: E402

from goodwork_tui.core.library import load_library  # noqa: E402
from goodwork_tui.core.model import one_line_summary  # noqa: E402
from goodwork_tui.core.round_timer import TimerState  # noqa: E402
from goodwork_tui.core.session_store import SUFFIX, SessionStore  # noqa: E402
from goodwork_tui.core.slug import session_stem  # noqa: E402
from goodwork_tui.ui.screens.new_session import format_snapshot  # noqa: E402

TITLE = "Teamoverleg teammanagers Zorggroep De Linde"
ON = date(2026, 3, 12)
GROUP = "Teammanagers wonen en zorg, Zorggroep De Linde"
FACILITATOR = "Hanneke Wolters"
FORMAT_ID = "groepsdialoog-nl"
SITUATION_ID = "ouderenzorg-klagende-dochter-nl"
TZ = "+01:00"  # Central European Time: summer time starts later in March

# Bart did not want his name in the harvest; the fifth participant stays anonymous.
PARTICIPANTS = [
    {"id": "p1", "name": "Ingrid", "consent": True},
    {"id": "p2", "name": "Ruud", "consent": True},
    {"id": "p3", "name": "Bart", "consent": False},
    {"id": "p4", "name": "Fatma", "consent": True},
    {"id": "p5", "name": "", "consent": False},
]

# Seconds each round was really run (planned minutes come from the format): round 2,
# the images of good work, ran three minutes over.
COUNTED = [860, 25 * 60 + 185, 880, 870, 585, 570]
SESSION_CREATED = "13:22:41"

# (key, time, round, kind, lens, speaker, text). The key names a note for the harvest
# steps below; "room" marks the one note that must not leave the room.
NOTES = [
    # ---- 0 Herkennen (13:30-13:44)
    ("zoon", "13:33:10", 0, "experience", "", "p1",
     "Herkenbaar. Bij ons belt een zoon al maanden over de nachtdienst, steeds over "
     "dezelfde collega. Als ik zijn naam in mijn telefoon zie, zucht ik al."),
    ("tienminuten", "13:35:45", 0, "experience", "", "p2",
     "Wat voor mij schuurt: de familie ziet tien minuten van de dag, wij zien de hele "
     "dag. Maar die tien minuten zijn voor hen wel de werkelijkheid."),
    ("weetsamira", "13:37:20", 0, "question", "", "p4",
     "Weet Samira eigenlijk dat Marion al weken over haar belt? Of hoort ze het pas als "
     "het een klacht is geworden?"),
    ("nieuw", "13:39:55", 0, "experience", "", "p5",
     "Ik ben nu een halfjaar teammanager. Mijn neiging is om de familie meteen gelijk "
     "te geven, gewoon om de rust terug te krijgen. Achteraf vraag ik me af wat mijn "
     "team daarvan vond."),
    ("echtwil", "13:42:30", 0, "question", "", "p3",
     "Wat wil Marion nou echt? Dat Samira weggaat, of dat haar moeder er weer uitziet "
     "als haar moeder?"),
    # ---- 1 Beelden van goed werk (13:44-14:12, drie minuten uitgelopen)
    ("meekijken", "13:47:05", 1, "experience", "excellent", "p1",
     "Ik heb een dochter eens uitgenodigd om een ochtend mee te kijken. Ze zag haar vader "
     "drie keer nee zeggen tegen zijn overhemd. Daarna ging het gesprek niet meer over "
     "de verzorgende, maar over wat haar vader nog wel wil."),
    ("eerstmedewerker", "13:50:40", 1, "action-option", "ethical", "p2",
     "Eerst met de medewerker praten, dan pas met de familie. Zodat zij niet via de "
     "wandelgangen hoort wat er over haar gezegd is."),
    ("room", "13:54:15", 1, "experience", "", "p3",
     "Ik was vorig jaar zelf die lastige zoon, toen mijn vader op een PG-afdeling lag. "
     "Ik belde elke dag over zijn kleren en zijn scheerbeurt. Als ik dit lees, schaam ik "
     "me daar eerlijk gezegd een beetje voor."),
    ("zwichten", "13:57:50", 1, "experience", "engaging", "p4",
     "Ik heb een keer een medewerker tijdelijk bij een bewoner weggehaald omdat ze dat "
     "zelf vroeg. Het team vond dat ik zwichtte. Achteraf had ik het eerder en beter in "
     "het teamoverleg moeten uitleggen."),
    ("kopje", "14:01:25", 1, "experience", "excellent", "p5",
     "Wij hebben in het zorgleefplan van één bewoner een kopje 'zo wil ze eruitzien', "
     "samen met de dochter ingevuld: lippenstift, oorbellen, nooit een vest met een vlek. "
     "Dat kostte een kwartier en scheelt ons veel gedoe."),
    ("verlies", "14:04:30", 1, "insight", "engaging", "p1",
     "Het nette haar is voor Marion misschien het laatste wat nog klopt van haar moeder. "
     "Dan gaat de klacht over verlies, niet over Samira."),
    ("tweeverliezers", "14:07:35", 1, "insight", "ethical", "p3",
     "Haal je de medewerker weg, dan leert het team dat wie het hardst roept zijn zin "
     "krijgt. Doe je niets, dan leert de familie dat klagen geen zin heeft. In beide "
     "gevallen raak je iemand kwijt."),
    ("nietoptafel", "14:10:20", 1, "action-option", "excellent", "p2",
     "Het gesprek met Marion alleen voeren mag, maar zeg vooraf wat er niet op tafel "
     "ligt: Samira gaat niet van haar moeder af."),
    # ---- 2 Gedeelde vraagstukken (14:12-14:27)
    ("alleen", "14:14:30", 2, "shared-issue", "ethical", "p4",
     "In bijna elk verhaal staat de medewerker er alleen voor op het moment dat de "
     "familie boos is: in het bezoekuur, zonder leidinggevende in de buurt."),
    ("autonomie", "14:17:05", 2, "shared-issue", "ethical", "p1",
     "Wat de bewoner zelf wil, tegenover wat de familie onder waardigheid verstaat. "
     "'Ze wilde het zelf niet' klinkt voor familie al snel als een excuus."),
    ("intake", "14:19:40", 2, "shared-issue", "excellent", "p2",
     "Bij de intake vragen we naar medicatie, eten en slapen, maar bijna nooit naar hoe "
     "iemand eruit wil zien en wat dat voor de familie betekent."),
    ("achterteam", "14:22:15", 2, "question", "", "p5",
     "Hoe blijf je achter je team staan zonder dat het voelt alsof je de familie niet "
     "serieus neemt?"),
    ("rouw", "14:24:50", 2, "question", "", "p3",
     "Wanneer is een klacht over een medewerker eigenlijk rouw? En hoe ga je dat na "
     "zonder het voor iemand in te vullen?"),
    # ---- 3 Handelingsmogelijkheden (14:27-14:41)
    ("terugkoppelen", "14:28:50", 3, "action-option", "ethical", "p2",
     "De medewerker vooraf vertellen wat je tegen de familie gaat zeggen, en na het "
     "gesprek terugkoppelen hoe het ging. Dat kost tien minuten."),
    ("ochtend", "14:30:55", 3, "action-option", "excellent", "p1",
     "De familie een ochtend laten meekijken, juist ook als de medewerker over wie "
     "geklaagd wordt dienst heeft."),
    ("vastleggen", "14:33:10", 3, "action-option", "excellent", "p5",
     "In het zorgleefplan vastleggen wat voor de familie wezenlijk is aan hoe hun naaste "
     "erbij loopt, en ernaast wat de bewoner zelf laat zien."),
    ("inroosteren", "14:35:25", 3, "action-option", "engaging", "p4",
     "Tijdelijk anders inroosteren kan, maar alleen als de medewerker het zelf vraagt, "
     "met een vaste datum om terug te kijken, en uitgelegd in het team."),
    ("watmist", "14:37:40", 3, "action-option", "ethical", "p2",
     "In het gesprek niet verdedigen maar vragen: wat mist u aan uw moeder? Eerst "
     "luisteren, dan pas uitleggen waarom we niemand in de kleren dwingen."),
    ("klachtenroute", "14:39:50", 3, "action-option", "", "p3",
     "De klachtenfunctionaris niet als dreigement opvatten. Zelf zeggen dat die route "
     "openstaat, en intussen gewoon het gesprek blijven voeren."),
    # ---- 4 Waarden en normen (14:41-14:51)
    ("bewonervoor", "14:42:55", 4, "value-norm", "ethical", "p1",
     "Wat de bewoner zelf wil gaat voor, ook als dat er voor buitenstaanders slordig "
     "uitziet."),
    ("nooitvallen", "14:44:40", 4, "value-norm", "ethical", "p3",
     "Ongeschreven regel bij ons: je laat een collega nooit vallen waar familie bij is. "
     "Een goede regel, maar hij maakt ons soms doof voor wat de familie wel ziet."),
    ("geenklant", "14:46:20", 4, "value-norm", "excellent", "p2",
     "Familie is geen klant die altijd gelijk heeft, maar ook geen tegenpartij. Zij "
     "kennen de bewoner veel langer dan wij."),
    ("verschillen", "14:48:05", 4, "value-norm", "engaging", "p4",
     "We verschillen in hoe snel we de familie tegemoetkomen. Dat mag, als de medewerker "
     "maar weet waar ze aan toe is."),
    ("rust", "14:49:50", 4, "value-norm", "", "p5",
     "Gelijk krijgen is geen doel. Rust voor mevrouw wel."),
    # ---- 5 Oogst (14:51-15:00)
    ("vaker_vragen", "14:52:30", 5, "insight", "", "p5",
     "Ik ga minder snel mee in wat de familie eist, en vraag vaker wat erachter zit."),
    ("deelpunt", "14:53:45", 5, "insight", "engaging", "p2",
     "Achter mijn team staan betekent niet dat ik de familie op een deelpunt geen gelijk "
     "mag geven."),
    ("zichtbaar", "14:55:00", 5, "insight", "", "p3",
     "Dit gaat niet alleen over Samira en Marion. Het gaat ook over hoe zichtbaar wij als "
     "teammanagers zijn tijdens het bezoekuur."),
    ("intakevraag", "14:56:20", 5, "outcome", "excellent", "p1",
     "Voorstel aan de regiomanager: 'zo wil ik eruitzien' wordt een vaste vraag in het "
     "intakegesprek op alle PG-afdelingen."),
    ("altijdvooraf", "14:57:35", 5, "outcome", "ethical", "p4",
     "Bij een klacht over een medewerker spreekt de teammanager eerst die medewerker, "
     "vóór het gesprek met de familie."),
    ("toestemming", "14:58:50", 5, "outcome", "", "",
     "Afspraak over de verhalen: de oogst gaat naar de teammanagers en de regiomanager, "
     "met namen alleen van wie daar toestemming voor gaf. Persoonlijke verhalen blijven "
     "in deze ruimte."),
]

STARS = ["verlies", "eerstmedewerker", "alleen", "nooitvallen", "intakevraag"]

VOTES = {
    "alleen": 7, "verlies": 6, "intake": 5, "eerstmedewerker": 4, "nooitvallen": 4,
    "ochtend": 3, "watmist": 2, "rouw": 2, "inroosteren": 1,
}

THEMES = [
    ("De medewerker niet alleen laten staan",
     ["eerstmedewerker", "zwichten", "alleen", "terugkoppelen", "inroosteren",
      "nooitvallen", "altijdvooraf"]),
    ("Wat zit er achter de klacht?",
     ["echtwil", "verlies", "tweeverliezers", "rouw", "watmist", "vaker_vragen"]),
    ("Hoe iemand eruit wil zien hoort in het zorgleefplan",
     ["meekijken", "kopje", "intake", "ochtend", "vastleggen", "intakevraag"]),
]

TAKEAWAYS = "\n\n".join((
    "Iedereen herkende de situatie van Marion en Samira: een naaste die steeds opnieuw "
    "belt over één medewerker. In het gesprek werd duidelijk dat zo'n klacht vaak over "
    "meer gaat dan over die medewerker. Het nette haar en de schone blouse zijn voor een "
    "dochter soms het laatste wat nog klopt van wie haar moeder was. Vragen wat iemand "
    "mist, helpt dan meer dan uitleggen wie er gelijk heeft.",
    "Tegelijk staat de medewerker er op het spannendste moment meestal alleen voor: in "
    "het bezoekuur, zonder leidinggevende in de buurt. We willen achter ons team staan "
    "zonder de familie weg te zetten. Dat lukt beter als de medewerker vooraf weet wat "
    "wij tegen de familie zeggen en wat er niet op tafel ligt.",
    "Op onderdelen verschillen we, bijvoorbeeld in hoe snel je de familie tegemoetkomt "
    "en of tijdelijk anders inroosteren zwichten is of goede zorg. Dat mag blijven "
    "verschillen. Wat ons bindt: wat de bewoner zelf wil staat voorop, en hoe iemand "
    "eruit wil zien, willen we voortaan gewoon bij de intake vragen.",
))

ACTIONS = [
    ("De vraag 'zo wil ik eruitzien' opnemen in het intakeformulier en het zorgleefplan "
     "van de PG-afdelingen", "Ingrid", "2026-04-23"),
    ("Werkafspraak op papier zetten: bij een klacht over een medewerker spreekt de "
     "teammanager eerst de medewerker en koppelt na het familiegesprek terug",
     "Ruud", "2026-04-09"),
    ("Op twee afdelingen uitproberen dat familie een ochtend meekijkt, en de ervaringen "
     "meenemen naar het teamoverleg van mei", "Fatma", "2026-05-14"),
]


def stamp(clock: str) -> str:
    return f"{ON.isoformat()}T{clock}{TZ}"


def build(sessions_dir: Path) -> Path:
    library = load_library(ROOT / "library")
    chosen = next((f for f in library.formats if f.id == FORMAT_ID), None)
    situation = library.situation(SITUATION_ID)
    if chosen is None or situation is None:
        raise SystemExit(f"the starter library lacks {FORMAT_ID} or {SITUATION_ID}")

    target = sessions_dir / f"{session_stem(TITLE, ON)}{SUFFIX}"
    if target.exists():
        raise SystemExit(f"{target} already exists; not overwriting it")

    store = SessionStore.create(
        sessions_dir, title=TITLE, on=ON, group=GROUP, facilitator=FACILITATOR,
        format=format_snapshot(chosen), situations=[SITUATION_ID],
        participants=PARTICIPANTS, lang="nl",
        situation_titles={SITUATION_ID: {"title": situation.title,
                                         "summary": one_line_summary(situation)}},
    )
    try:
        if store.path != target:  # created elsewhere in the meantime
            raise SystemExit(f"{target} appeared while building; wrote {store.path} instead")
        ids: dict[str, str] = {}
        for key, clock, round_index, kind, lens, speaker, text in NOTES:
            note = store.add_note(text, round=round_index, kind=kind, lens=lens,
                                  speaker=speaker, situation=SITUATION_ID,
                                  room_only=key == "room")
            ids[key] = note["id"]
            store.update_note(note["id"], created=stamp(clock))

        for key in STARS:
            store.star_note(ids[key], True)
        for key, count in VOTES.items():
            if count and key in ids:
                store.vote(ids[key], count)
        for name, members in THEMES:
            theme_id = store.add_theme(name)
            for key in members:
                store.set_note_theme(ids[key], theme_id)
        store.set_takeaways(TAKEAWAYS)
        for text, owner, review in ACTIONS:
            store.add_action(text, owner=owner, review=review)

        rounds = store.meta["format"]["rounds"]
        for index, counted in enumerate(COUNTED):
            timer = TimerState.from_dict(rounds[index]["minutes"], {"counted": counted})
            timer.record_overrun()
            store.set_timer(index, timer.to_dict())
        store.go_to_position(len(rounds) - 1)
        store.update_meta(created=stamp(SESSION_CREATED))
        # The notes were not edited later in the room: drop the `updated` stamps the
        # harvest steps above left behind.
        store.notes_table.update(delete("updated"),
                                 doc_ids=[d.doc_id for d in store.notes_table.all()
                                          if "updated" in d])
    finally:
        store.close()
    # The lock file is the store's, made just now next to a file nobody else had open.
    Path(f"{store.path}.lock").unlink(missing_ok=True)
    return store.path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sessions_dir", nargs="?", type=Path, default=ROOT / "sessions",
                        help="the sessions folder (default: sessions/ of the repository)")
    args = parser.parse_args(argv)
    path = build(args.sessions_dir)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

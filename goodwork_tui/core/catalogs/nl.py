"""Nederlandse teksten. De sleutels zijn gelijk aan die in en.py (een test controleert dat)."""

STRINGS: dict[str, str] = {
    "app.subtitle": "beelden van goed werk",
    "common.cancel": "Annuleren",
    # panelen
    "pane.library": "Bibliotheek",
    "pane.reader": "Situatie",
    "pane.session": "Sessie",
    "library.title": "Bibliotheek",
    "library.search_placeholder": "Zoek situaties… (ctrl+f)",
    "library.no_match": "Geen situatie past bij deze zoekvraag.",
    "library.count": "{count} situaties",
    "library.problems_hint": "{count} problemen in de bibliotheek (F7)",
    "library.problems_notice": "De bibliotheek heeft {count} problemen; F7 laat ze zien.",
    "library.reloading": "De bibliotheek wordt opnieuw gelezen…",
    "library.loading": "De bibliotheek wordt gelezen…",
    "reader.title": "Situatie",
    "reader.empty": "Kies links een situatie om haar hier te lezen.",
    "reader.not_translated": "geen vertaling: getoond in '{lang}'",
    "session.title": "Sessie",
    "session.none": (
        "Er loopt geen sessie.\n\n"
        "In dit paneel leidt een begeleider een sessie ronde voor ronde: de huidige ronde "
        "met haar vraag, een timer, en snelle notities met soort en lens.\n\n"
        "Sessies leiden zit nog niet in deze versie. Gebruik intussen de bibliotheek: kies "
        "een situatie, lees haar met de groep en vraag:\n\n"
        "• Herken je dit? Waar kwam je het dit jaar tegen?\n"
        "• Wat deed je, of wat zou je doen, en waarom?\n"
        "• Was het goed werk, deed het recht aan anderen, voelde het betekenisvol?"
    ),
    # problemenpaneel
    "problems.title": "Problemen in de bibliotheek",
    "problems.close": "Esc sluit",
    "problems.intro": (
        "{count} problemen. Bestanden die door een probleem onbruikbaar zijn, blijven weg; "
        "de rest van de bibliotheek werkt gewoon. 'goodwork library check' geeft dezelfde lijst."
    ),
    "problems.none": "De bibliotheek heeft geen problemen.",
    # hulp
    "help.title": "Goed Werk — toetsen",
    "help.key": "Toets",
    "help.action": "Actie",
    "help.intro": (
        "Blader links door de situaties van de bibliotheek, lees er een in het midden, leid "
        "rechts een sessie. Op een smal scherm wissel je met F2, F3 en F4 tussen de panelen."
    ),
    "help.more": (
        "Toetsen pas je aan in de tabel [keymap] van het instellingenbestand "
        "(binding-id = \"toets\"), bijvoorbeeld `search = \"ctrl+k\"`."
    ),
    "help.palette": "Opdrachtenpalet: elke actie bij naam",
    # links
    "link.refused": "Deze link wordt niet geopend: {href}",
    "link.question": "Deze link openen in je browser?",
    "link.open": "Openen",
    # taal en instellingen
    "language.switched": "Taal: Nederlands",
    "config.unreadable": "Het instellingenbestand is onleesbaar en blijft zoals het is: {problem}",
    "config.unsaved": "De instellingen konden niet worden bewaard: {problem}",
    # opdrachtenpalet
    "cmd.search": "Bibliotheek doorzoeken",
    "cmd.search.help": "Typ om de situaties te filteren op titel, tags en tekst",
    "cmd.language": "Taal wisselen",
    "cmd.language.help": "Wissel de interface tussen Nederlands en Engels",
    "cmd.problems": "Problemen in de bibliotheek tonen",
    "cmd.problems.help": "Elk probleem in de bibliotheekbestanden, met bestand en regel",
    "cmd.help": "Hulp tonen",
    "cmd.help.help": "Toetsen en hoe je met Goed Werk werkt",
    "cmd.reload": "Bibliotheek opnieuw lezen",
    "cmd.reload.help": "Lees de bibliotheekbestanden opnieuw van schijf",
    "cmd.pane.library": "Bibliotheek tonen",
    "cmd.pane.library.help": "Ga naar het bibliotheekpaneel",
    "cmd.pane.reader": "Situatie tonen",
    "cmd.pane.reader.help": "Ga naar de situatie die je leest",
    "cmd.pane.session": "Sessie tonen",
    "cmd.pane.session.help": "Ga naar het sessiepaneel",
    # voettekst (key.<binding-id>) en tooltips (tip.<binding-id>)
    "key.help": "Hulp",
    "tip.help": "Toetsen en werkwijze",
    "key.search": "Zoeken",
    "tip.search": "Zoek in de bibliotheek",
    "key.language": "Taal",
    "tip.language": "Wissel tussen Nederlands en Engels",
    "key.problems": "Problemen",
    "tip.problems": "Problemen in de bibliotheek tonen",
    "key.reload": "Herladen",
    "tip.reload": "Lees de bibliotheek opnieuw van schijf",
    "key.quit": "Stoppen",
    "tip.quit": "Goed Werk afsluiten",
    "key.pane.library": "Bibliotheek",
    "tip.pane.library": "Toon de bibliotheek",
    "key.pane.reader": "Situatie",
    "tip.pane.reader": "Toon de situatie die je leest",
    "key.pane.session": "Sessie",
    "tip.pane.session": "Toon de sessie",
    "key.pane.back": "Terug",
    "tip.pane.back": "Terug naar de bibliotheek",
}

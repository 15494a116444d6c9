"""The room's pages as strings: no file of the workspace is ever served.

HTML holds only catalog strings (escaped); everything from the session arrives as JSON
and is put on the page with textContent by the scripts in scripts.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape

from goodwork_tui.core.i18n import Catalog
from goodwork_tui.core.model import LENSES

from .security import MAX_NAME, MAX_NOTE

STYLE = """
*{box-sizing:border-box}
body{margin:0;font:1.1rem/1.45 system-ui,sans-serif;background:#fff;color:#111}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.25rem;margin:1.2rem 0 .4rem}
.prompt,.pre{white-space:pre-wrap;overflow-wrap:anywhere}
fieldset{border:1px solid #888;border-radius:.4rem;margin:.8rem 0;padding:.5rem .8rem}
legend{font-weight:600;padding:0 .3rem}
label{display:block;margin:.3rem 0}
.choice{display:flex;gap:.5rem;align-items:flex-start;margin:.4rem 0}
.choice input{margin-top:.35rem;flex:none;width:1.2rem;height:1.2rem}
textarea,input[type=text]{width:100%;font:inherit;padding:.5rem;border:2px solid #555;
border-radius:.3rem}
textarea{min-height:6rem}
button{font:inherit;padding:.6rem 1rem;border-radius:.4rem;border:2px solid #114;
background:#1a3d8f;color:#fff;min-height:2.75rem;cursor:pointer}
button.quiet{background:#fff;color:#1a3d8f}
button:disabled{opacity:.5}
:focus-visible{outline:3px solid #d60;outline-offset:2px}
.status{min-height:1.5rem;font-weight:600;margin:.6rem 0}
.error{color:#a00010}
.hint{font-size:.95rem;color:#333}
ul.notes{list-style:none;padding:0;margin:0}
ul.notes li{border:1px solid #999;border-radius:.4rem;padding:.6rem;margin:.5rem 0}
ul.notes li p{margin:.2rem 0 .4rem}
.meta{font-size:.95rem;color:#333;margin:.3rem 0}
.buttons{display:flex;gap:.5rem;flex-wrap:wrap}
body.projector{background:#111;color:#f5f5f5;font-size:2rem}
.projector main{max-width:none;padding:1.5rem 2.5rem}
.projector h1{font-size:2.6rem}.projector h2{font-size:2.2rem}
.projector .meta{color:#ddd;font-size:1.5rem}
.projector ul.notes li{border-color:#666}
.timer{font-size:3rem;font-variant-numeric:tabular-nums;font-weight:700}
.timer.over{color:#ff8080}
[hidden]{display:none!important}
"""

STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()


def _page(lang: str, title: str, body: str, *, script: str | None = None,
          strings: dict[str, object] | None = None, body_class: str = "") -> str:
    data = ""
    if strings is not None:
        # a data block, never run; "<" escaped so no text can close the element
        payload = json.dumps(strings, ensure_ascii=False).replace("<", "\\u003c")
        data = f'<script type="application/json" id="gw-strings">{payload}</script>\n'
    tag = f'<script src="{script}" defer></script>\n' if script else ""
    klass = f' class="{body_class}"' if body_class else ""
    return (f'<!doctype html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n{data}{tag}</head>\n"
            f"<body{klass}>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def join_page(t: Catalog, message: str = "", *, next_path: str = "/") -> str:
    """The code page: a plain form, no script. `message` says why we are here."""
    error = (f'<p class="status error" role="alert" id="message">{escape(message)}</p>'
             if message else "")
    body = f"""<h1>{escape(t('room.web.join_title'))}</h1>
{error}
<form method="post" action="/join">
<input type="hidden" name="next" value="{escape(next_path)}">
<p id="code-intro">{escape(t('room.web.join_intro'))}</p>
<label for="code">{escape(t('room.web.code_label'))}</label>
<input type="text" id="code" name="code" autocomplete="off" autocapitalize="characters"
 spellcheck="false" maxlength="32" required aria-describedby="code-intro"
 {'aria-invalid="true" ' if message else ''}autofocus>
<button type="submit">{escape(t('room.web.join_button'))}</button>
</form>"""
    return _page(t.lang, t("room.web.page_title"), body)


def message_page(t: Catalog, message: str) -> str:
    """A refusal that is not about the code: says what happened and where to go."""
    body = (f'<h1>{escape(t("room.web.page_title"))}</h1>\n'
            f'<p class="status error" role="alert">{escape(message)}</p>\n'
            f'<p><a href="/">{escape(t("room.web.join_title"))}</a></p>')
    return _page(t.lang, t("room.web.page_title"), body)


def _radio(name: str, value: str, label: str, checked: bool = False) -> str:
    ident = f"{name}-{value or 'none'}"
    return (f'<div class="choice"><input type="radio" name="{name}" id="{ident}" '
            f'value="{escape(value)}"{" checked" if checked else ""}>'
            f'<label for="{ident}">{escape(label)}</label></div>')


def participant_page(t: Catalog) -> str:
    lenses = [_radio("lens", "", t("room.web.lens_none"), checked=True)]
    for lens in LENSES:
        label = f"{t('lens.' + lens)} — {t('room.web.lens_meaning.' + lens)}"
        lenses.append(_radio("lens", lens, label))
    body = f"""<h1 id="session-title">{escape(t('room.web.page_title'))}</h1>
<section aria-labelledby="round-title">
<h2 id="round-title">{escape(t('room.web.no_round'))}</h2>
<p class="prompt" id="round-prompt"></p>
</section>
<form id="note-form" novalidate>
<fieldset>
<legend>{escape(t('room.web.note_legend'))}</legend>
<label for="note-text">{escape(t('room.web.note_label'))}</label>
<textarea id="note-text" name="text" maxlength="{MAX_NOTE}"
 aria-describedby="note-count"></textarea>
<p class="hint" id="note-count" aria-live="off"></p>
<fieldset id="kinds" hidden>
<legend>{escape(t('room.web.kind_legend'))}</legend>
<div id="kind-choices"></div>
</fieldset>
<fieldset>
<legend>{escape(t('room.web.lens_legend'))}</legend>
{''.join(lenses)}
</fieldset>
<label for="name">{escape(t('room.web.name_label'))}</label>
<input type="text" id="name" name="name" maxlength="{MAX_NAME}" autocomplete="name">
<div class="choice"><input type="checkbox" id="consent" name="consent">
<label for="consent">{escape(t('room.web.consent_label'))}</label></div>
<p class="hint">{escape(t('room.web.anonymous_hint'))}</p>
<button type="submit" id="send">{escape(t('room.web.send'))}</button>
</fieldset>
</form>
<p class="status" id="status" role="status" aria-live="polite" aria-atomic="true"></p>
<p class="hint" id="pending" aria-live="polite"></p>
<p id="rejoin" hidden><a href="/">{escape(t('room.web.rejoin'))}</a></p>
<section id="voting" aria-labelledby="vote-title" hidden>
<h2 id="vote-title">{escape(t('room.web.vote_title'))}</h2>
<p id="dots-left" aria-live="polite"></p>
<ul class="notes" id="vote-list"></ul>
</section>"""
    return _page(t.lang, t("room.web.page_title"), body, script="/app.js",
                 strings=_strings(t))


def projector_page(t: Catalog) -> str:
    body = f"""<h1 id="session-title"></h1>
<p class="timer" id="timer" hidden></p>
<section aria-labelledby="round-title">
<h2 id="round-title"></h2>
<p class="prompt" id="round-prompt"></p>
</section>
<section id="situation" aria-labelledby="situation-title" hidden>
<h2 id="situation-title"></h2>
<div id="parts"></div>
</section>
<section id="notes" aria-labelledby="notes-title" hidden>
<h2 id="notes-title">{escape(t('room.web.notes_title'))}</h2>
<ul class="notes" id="note-list"></ul>
</section>
<p class="status error" id="status" role="status" aria-live="polite"></p>
<p id="rejoin" hidden><a href="/room">{escape(t('room.web.rejoin'))}</a></p>"""
    return _page(t.lang, t("room.web.projector_title"), body, script="/room.js",
                 strings=_strings(t), body_class="projector")


_JS_KEYS = (
    "saved", "queued", "offline", "pending", "rejoin", "sending", "empty", "too_long",
    "server_error", "refused", "dots_left", "votes", "mine", "add_dot", "remove_dot",
    "dot_added", "dot_removed", "kind_none", "no_round", "by", "time_left", "over",
    "page_title", "projector_title",
)


def _strings(t: Catalog) -> dict[str, object]:
    from goodwork_tui.core.model import NOTE_KINDS

    strings: dict[str, object] = {key: t("room.web." + key) for key in _JS_KEYS}
    strings["kinds"] = {kind: t("kind." + kind) for kind in NOTE_KINDS}
    strings["lenses"] = {lens: t("lens." + lens) for lens in LENSES}
    strings["max_note"] = MAX_NOTE
    return strings

"""`goodwork card`: a printable dialogue card (story and questions, never the images)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from child_process import child_env
from markdown_it import MarkdownIt

STARTER = Path(__file__).resolve().parent.parent / "library"
ID = "grenswerk-lauw-onthaal-nl"


def goodwork(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "goodwork_tui", *args], capture_output=True,
                          text=True, env=child_env(), cwd=cwd, timeout=120)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(STARTER, tmp_path / "library")
    (tmp_path / "sessions").mkdir()
    return tmp_path


def headings(markdown: str) -> list[tuple[int, str]]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [(int(tok.tag[1]), "".join(child.content for child in tokens[i + 1].children or []
                                      if child.type == "text"))
            for i, tok in enumerate(tokens) if tok.type == "heading_open"]


def test_the_markdown_card_holds_story_and_questions_and_no_images(workspace: Path) -> None:
    done = goodwork("card", ID, "--format", "md", cwd=workspace)
    assert done.returncode == 0, done.stderr
    found = headings(done.stdout)
    assert found[0] == (1, "Een goed idee dat niemand oppakt")
    assert (2, "Situatie") in found and (2, "Vragen voor het gesprek") in found
    assert (2, "Dimensies") not in found
    assert "Beeld van goed werk" not in done.stdout
    assert "Herken je dit?" in done.stdout
    with_dimensions = goodwork("card", ID, "--format", "md", "--dimensions", cwd=workspace)
    found = headings(with_dimensions.stdout)
    assert (2, "Dimensies") in found and (3, "Kennis") in found and (3, "Verhoudingen") in found
    english = goodwork("card", "grenswerk-lauw-onthaal-en", "--format", "md", cwd=workspace)
    assert (2, "Questions for the conversation") in headings(english.stdout)


def test_the_html_card_is_one_page_in_the_situation_language(workspace: Path) -> None:
    target = workspace / "card.html"
    done = goodwork("card", ID, "-o", str(target), cwd=workspace)
    assert done.returncode == 0, done.stderr
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nl">' in html
    assert "@page { size: A4" in html and "@media print" in html
    assert "<h2>Vragen voor het gesprek</h2>" in html and html.count("<li>") >= 3
    assert "Beeld van goed werk" not in html and "Wat ik deed" not in html


def hostile_library(workspace: Path) -> None:
    path = workspace / "library" / "grenswerk" / "grenswerk-vijandig-nl.md"
    path.write_text("""---
id: grenswerk-vijandig-nl
title: "[/] a[/b] <script>alert(1)</script> [@click=app.quit]x[/]"
collection: grenswerk
lang: nl
---

## Situatie

Een verhaal met <b>ruwe html</b> en [een link](javascript:alert(1)) en \x1b[31mrood.

## Reflectievragen

- Herken je dit? <img src=x onerror=alert(1)>

## Beeld van goed werk: Iemand

### Wat ik deed

Geheim antwoord.
""", encoding="utf-8")


def test_hostile_text_stays_text(workspace: Path) -> None:
    hostile_library(workspace)
    done = goodwork("card", "grenswerk-vijandig-nl", cwd=workspace)
    assert done.returncode == 0, done.stderr
    html = done.stdout
    assert "<script>" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;ruwe html&lt;/b&gt;" in html
    assert 'href="javascript' not in html
    assert "\x1b" not in html
    assert "Geheim antwoord" not in html
    markdown = goodwork("card", "grenswerk-vijandig-nl", "--format", "md", cwd=workspace)
    assert headings(markdown.stdout)[0][1].startswith("[/] a[/b]")


def test_an_unknown_situation_is_a_message(workspace: Path) -> None:
    done = goodwork("card", "bestaat-niet", cwd=workspace)
    assert done.returncode == 1 and "no situation 'bestaat-niet'" in done.stderr
    assert done.stdout == ""


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None or shutil.which("pdfinfo") is None,
                    reason="needs chromium and pdfinfo (the CI installs them)")
def test_the_card_prints_on_one_a4_page_in_a_real_browser(workspace: Path,
                                                          tmp_path: Path) -> None:
    card = workspace / "card.html"
    assert goodwork("card", ID, "--dimensions", "-o", str(card), cwd=workspace).returncode == 0
    pdf = tmp_path / "card.pdf"
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}",
                    "--no-pdf-header-footer", card.as_uri()],
                   capture_output=True, timeout=120)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines()
                     if line.startswith("Pages:")))
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    assert "(A4)" in size
    without = workspace / "plain.html"
    assert goodwork("card", ID, "-o", str(without), cwd=workspace).returncode == 0
    assert pages <= 2  # with the dimensions it may run over; without them it must not
    pdf_plain = tmp_path / "plain.pdf"
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--disable-background-networking",
                    f"--user-data-dir={tmp_path / 'profile2'}", f"--print-to-pdf={pdf_plain}",
                    "--no-pdf-header-footer", without.as_uri()],
                   capture_output=True, timeout=120)
    info = subprocess.run(["pdfinfo", str(pdf_plain)], capture_output=True, text=True).stdout
    assert "Pages:           1" in info

"""The web server's pictures and scripts, embedding the widget on another site with one
script tag, and the colours of the assessment card and the widget (WCAG AA)."""

import contextlib
import http.server
import io
import json
import threading
import xml.etree.ElementTree as ET
from typing import Any, Dict, Iterator, List

import requests
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.helpers import ARTIFACTS, ROOT, SILENT_BOT, contrast, screenshot

LEGMAP = json.loads((ROOT / "web" / "maps" / "legmap.json").read_text())
SVG_NS = "{http://www.w3.org/2000/svg}"


def fills_by_root(svg_text: str) -> Dict[str, set]:
    tree = ET.fromstring(svg_text)
    fills: Dict[str, set] = {}
    for poly in tree.iter(f"{SVG_NS}polygon"):
        if poly.get("data-root"):
            fills.setdefault(poly.get("data-root"), set()).add(poly.get("fill"))
    return fills


def test_dermatome_map_svg_highlights_the_chosen_roots(servers: Any) -> None:
    reply = requests.get(
        f"{servers.web_url}/maps/dermatomes.svg", params={"highlight": "L5,S1"}, timeout=30
    )
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("image/svg+xml")
    fills = fills_by_root(reply.text)
    assert set(fills) == {"L1", "L2", "L3", "L4", "L5", "S1", "S2"}
    for root, colours in LEGMAP["roots"].items():
        expected = colours["strong"] if root in ("L5", "S1") else colours["pale"]
        assert fills[root] == {expected}, root
    labels = {t.text for t in ET.fromstring(reply.text).iter(f"{SVG_NS}text")}
    assert {"L1", "L2", "L3", "L4", "L5", "S1", "S2", "Front", "Back"} <= labels
    # nothing highlighted without ?highlight, unknown roots ignored
    plain = fills_by_root(
        requests.get(f"{servers.web_url}/maps/dermatomes.svg?highlight=T9", timeout=30).text
    )
    assert all(plain[root] == {LEGMAP["roots"][root]["pale"]} for root in plain)


def test_dermatome_map_png_for_chat_apps(servers: Any) -> None:
    import matplotlib.image

    def pixels(highlight: str) -> Any:
        reply = requests.get(
            f"{servers.web_url}/maps/dermatomes.png", params={"highlight": highlight}, timeout=60
        )
        assert reply.status_code == 200 and reply.headers["Content-Type"] == "image/png"
        assert reply.content[:8] == b"\x89PNG\r\n\x1a\n"
        image = matplotlib.image.imread(io.BytesIO(reply.content), format="png")
        assert image.shape[0] >= 600 and image.shape[1] >= 600
        return (image[:, :, :3] * 255).round().astype(int)

    def has_colour(image: Any, hex_colour: str) -> bool:
        rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
        return bool((abs(image - rgb).sum(axis=2) <= 6).sum() > 200)

    s1 = pixels("S1")
    assert has_colour(s1, LEGMAP["roots"]["S1"]["strong"])
    assert not has_colour(s1, LEGMAP["roots"]["L5"]["strong"])
    assert has_colour(s1, LEGMAP["roots"]["L5"]["pale"])
    l4 = pixels("L4")
    assert has_colour(l4, LEGMAP["roots"]["L4"]["strong"])
    assert not has_colour(l4, LEGMAP["roots"]["S1"]["strong"])


def test_widget_assets_are_served_locally(servers: Any) -> None:
    bundle = requests.get(f"{servers.web_url}/vendor/rasa-webchat/index.js", timeout=30)
    assert bundle.status_code == 200 and "WebChat" in bundle.text[:2000]
    assert "fonts.googleapis.com" not in bundle.text  # no third-party requests at run time
    for path in ("/embed.js", "/widget/legpain-chat.js", "/widget/legpain-chat.css"):
        assert requests.get(servers.web_url + path, timeout=30).status_code == 200, path
    settings = requests.get(f"{servers.web_url}/config.json", timeout=30).json()
    assert settings["serverUrl"].endswith(f":{servers.rasa_port}")
    page = requests.get(servers.web_url + "/", timeout=30).text
    assert 'class="bm-region"' in page and "Riverside" in page


@contextlib.contextmanager
def partner_site(html: str) -> Iterator[str]:
    """Another web site (another origin) serving one page that embeds the widget."""
    body = html.encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_embedding_on_another_site_takes_one_script_tag(new_page: Any, servers: Any) -> None:
    page = new_page()
    html = (
        f'<!doctype html><html lang="en"><head><title>Partner clinic</title></head><body>'
        f"<h1>Partner clinic</h1>"
        f'<script src="{servers.web_url}/embed.js" async data-title="Partner clinic chat" '
        f'data-primary-colour="#6a1b9a"></script></body></html>'
    )
    with partner_site(html) as url:
        external: List[str] = []
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith(
                    (
                        "http://127.0.0.1",
                        "http://localhost",
                        "ws://127.0.0.1",
                        "ws://localhost",
                        "data:",
                    )
                )
                else external.append(r.url)
            ),
        )
        page.goto(url)
        _check_embedded_widget(page, external)


def _check_embedded_widget(page: Any, external: List[str]) -> None:
    page.wait_for_selector("#legpain-chat .rw-launcher")
    page.wait_for_function(
        "() => document.querySelector('#legpain-chat').dataset.connected === 'true'"
    )
    page.click("#legpain-chat .rw-launcher")
    try:
        page.wait_for_selector("#legpain-chat .rw-from-response .rw-message", timeout=30_000)
    except PlaywrightTimeout:
        raise AssertionError(SILENT_BOT) from None
    assert page.inner_text("#legpain-chat .rw-title") == "Partner clinic chat"
    header = page.eval_on_selector(
        "#legpain-chat .rw-header", "e => getComputedStyle(e).backgroundColor"
    )
    assert header == "rgb(106, 27, 154)"
    assert not external, f"requests to third parties: {external}"
    screenshot(page, "09-embedded-on-another-site")
    assert not page.errors, page.errors


def test_card_and_widget_colours_pass_wcag_aa(new_page: Any, servers: Any) -> None:
    page = new_page()
    page.goto(servers.web_url + "/")
    page.wait_for_selector("#chat .rw-launcher")  # embed.js has loaded the styles and scripts
    levels = ["emergency", "urgent", "see_doctor", "self_care"]
    page.evaluate(
        """levels => {
        const host = document.createElement('div');
        host.className = 'lp-chat'; host.id = 'card-gallery';
        host.style.cssText = 'display:grid;grid-template-columns:repeat(2, 380px);gap:16px;'
                           + 'padding:16px;background:#fff';
        for (const level of levels) {
            const box = document.createElement('div');
            box.innerHTML = window.LegPainChat.renderCard({
                triage: level, triage_headline: 'Headline for ' + level,
                causes: [{id: 'sciatica', name: 'Sciatica', score: 0.5,
                          why: ['pain follows the S1 dermatome']},
                         {id: 'herniated_disc', name: 'Herniated disc', score: 0.3,
                          why: ['worse when sitting']},
                         {id: 'spinal_stenosis', name: 'Spinal stenosis', score: 0.1, why: []}],
                dermatomes: ['S1'], red_flags: level === 'emergency' ? ['saddle_numbness'] : [],
                self_care: level === 'emergency' ? [] : ['Keep moving gently.'],
                see_doctor: 'When to see a doctor for ' + level + '.',
                doctor_may: ['a physical exam'], not_a_diagnosis: 'This is not a diagnosis.',
                sources: ['NHS: Sciatica (https://www.nhs.uk/conditions/sciatica/)']});
            host.appendChild(box);
        }
        document.body.prepend(host);
    }""",
        levels,
    )
    for level in levels:
        header = f"#card-gallery .lp-triage-{level} .lp-card-triage"
        background, text = page.eval_on_selector(
            header, "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
        )
        assert text == "rgb(255, 255, 255)", level
        assert contrast(text, background) >= 4.5, (level, background)
    backgrounds = {
        level: page.eval_on_selector(
            f"#card-gallery .lp-triage-{level} .lp-card-triage",
            "e => getComputedStyle(e).backgroundColor",
        )
        for level in levels
    }
    assert len(set(backgrounds.values())) == 4
    red, green, blue = [int(c) for c in backgrounds["emergency"][4:-1].split(",")]
    assert red > green and red > blue  # emergency is red
    red, green, blue = [int(c) for c in backgrounds["urgent"][4:-1].split(",")]
    assert red > green > blue  # urgent is orange
    red, green, blue = [int(c) for c in backgrounds["see_doctor"][4:-1].split(",")]
    assert blue > red and blue > green  # see a doctor is blue
    red, green, blue = [int(c) for c in backgrounds["self_care"][4:-1].split(",")]
    assert green > red and green > blue  # self-care is green
    page.locator("#card-gallery").screenshot(path=str(ARTIFACTS / "10-triage-cards.png"))
    # the widget's own colours, and the muted text on the card
    styles = page.evaluate("""() => { const s = getComputedStyle(document.documentElement);
        return ['--lp-primary', '--lp-accent', '--lp-muted', '--lp-emergency']
            .map(v => s.getPropertyValue(v).trim()); }""")
    for colour in styles:
        assert contrast(colour, "#ffffff") >= 4.5, colour
    assert contrast(styles[2], "#f3f5f7") >= 4.5  # muted text on the bot's bubble colour

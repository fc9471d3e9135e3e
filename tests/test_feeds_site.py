"""The real site's news, releases, feeds and llms.txt: only what the seeds date."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import feedparser
import yaml
from conftest import REPO
from helpers import html
from test_feeds import ATOM, check_rfc4287, feed_files

#: The dated papers of the researcher profile (seed 002), title and date exactly as it prints them
#: (the day-less ones, "Jan 30" and the like, date nothing).
SEED_DATES = [
    ("Qwen Technical Report", "Sep 28, 2023"),
    ("OFASys: A Multi-Modal Multi-Task Learning System for Building Generalist Models", "Dec 8, 2022"),
    ("Chinese CLIP: Contrastive Vision-Language Pretraining in Chinese", "Nov 2, 2022"),
    ("Qwen2-VL: Enhancing Vision-Language Model's Perception of the World at Any Resolution",
     "Sep 18, 2024"),
    ("Qwen2 Technical Report", "Jul 15, 2024"),
    ("Qwen2.5-Coder Technical Report", "Sep 18, 2024"),
    ("Qwen2.5-1M Technical Report", "Jan 26, 2025"),
    ("Qwen3-Omni Technical Report", "Sep 22, 2025"),
    ("Gated Attention for Large Language Models: Non-linearity, Sparsity, and Attention-Sink-Free",
     "May 10, 2025"),
    ("Qwen3 Technical Report", "May 14, 2025"),
    ("Qwen2.5 Technical Report", "Dec 19, 2024"),
    ("Group Sequence Policy Optimization", "Jul 24, 2025"),
    ("OFA: Unifying Architectures, Tasks, and Modalities Through a Simple Sequence-to-Sequence "
     "Learning Framework", "Feb 7, 2022"),
    ("Qwen3-VL Technical Report", "Nov 26, 2025"),
    ("Enhancing Large-Scale AI Training Efficiency: The C4 Solution for Real-Time Anomaly Detection "
     "and Communication Optimization", "Jun 7, 2024"),
    ("M6-T: Exploring Sparse Expert Models and Beyond", "May 31, 2021"),
    ("M6-UFC: Unifying Multi-Modal Controls for Conditional Image Synthesis via Non-Autoregressive "
     "Generative Transformers", "May 29, 2021"),
    ("M6: A Chinese Multimodal Pretrainer", "Mar 1, 2021"),
    ("Natural Language Inference by Tree-Based Convolution and Heuristic Matching", "Dec 28, 2015"),
]


def _day(text: str) -> str:
    return datetime.datetime.strptime(text, "%b %d, %Y").date().isoformat()


def test_site_feeds_are_valid_and_cover_areas_people_and_kinds(site):
    files = feed_files(site)
    assert {"site", "kind/news", "kind/model", "kind/project", "person/rui-men",
            "area/multimodal-large-models"} <= set(files)
    assert "person/pan-zhou" not in files  # the research page dates nothing
    for key, path in files.items():
        assert feedparser.parse(path.read_bytes()).bozo == 0, key
        ids = check_rfc4287(path)
        assert all(i.startswith("tag:labkb.readthedocs.io,2026-12-01:") for i in ids)


def test_every_release_is_a_date_the_seed_gives(site):
    root = ET.parse(site / "feeds/site.xml").getroot()
    dates = {title: _day(day) for title, day in SEED_DATES}
    releases = [e for e in root.findall(f"{ATOM}entry")
                if ":release/" in e.find(f"{ATOM}id").text]
    assert len(releases) == 19
    for entry in releases:
        summary = entry.find(f"{ATOM}summary").text
        paper = re.search(r"“(.+?)”, is dated (\d{4}-\d{2}-\d{2})\.", summary)
        assert paper is not None, summary
        assert dates[paper.group(1)] == paper.group(2) == entry.find(f"{ATOM}updated").text[:10]
    news = root.find(f"{ATOM}entry")  # the newest
    assert news.find(f"{ATOM}id").text.endswith(":news/2026-04-08-moss-vl-article")
    assert news.find(f"{ATOM}updated").text == "2026-04-08T00:00:00Z"
    assert root.find(f"{ATOM}updated").text == "2026-04-08T00:00:00Z"
    assert "Zing Forum" in news.find(f"{ATOM}summary").text


def test_news_items_name_their_sources_and_the_article_date(site):
    sources = {p.stem: yaml.safe_load(p.read_text(encoding="utf8"))
               for p in (REPO / "docs/sources").glob("*.yaml")}
    items = sorted((REPO / "docs/news").glob("*.yaml"))
    assert items
    for path in items:
        data = yaml.safe_load(path.read_text(encoding="utf8"))
        ids = [s["id"] if isinstance(s, dict) else s for s in data["sources"]]
        assert ids and all(i in sources for i in ids), path
        # the date is one its sources state
        assert any(str(sources[i].get("date", "")).startswith(str(data["date"])) for i in ids)
    seed = (REPO / "docs/news/2026-04-08-moss-vl-article.yaml").read_text(encoding="utf8")
    assert "Published 2026-04-08 18:55" in seed


def test_home_and_entry_pages_show_news_and_link_feeds(site):
    home = html(site, "index.html")
    assert home.select_one('link[rel="alternate"][type="application/atom+xml"]')["href"] == \
        "feeds/site.xml"
    latest = [li.get_text(" ", strip=True) for li in home.select("ul.kb-news li")]
    assert len(latest) == 5 and latest[0].startswith("2026-04-08 News Article on MOSS-VL")
    moss = html(site, "models/moss-vl.html")
    assert "Article on MOSS-VL" in moss.select_one("#news-and-releases").get_text()
    area = html(site, "research/multimodal-large-models.html")
    assert area.select_one('link[type="application/atom+xml"]')["href"] == \
        "../feeds/area/multimodal-large-models.xml"
    assert html(site, "people/rui-men.html").select_one('link[type="application/atom+xml"]')
    assert html(site, "models/index.html").select_one('link[type="application/atom+xml"]')
    assert html(site, "projects/adan.html").select_one("#news-and-releases") is None


def test_llms_txt_links_a_markdown_file_per_entry_and_person(site):
    text = (site / "llms.txt").read_text(encoding="utf8")
    assert text.startswith("# OpenMOSS knowledge base\n\n> A knowledge base of AI research")
    links = re.findall(r"\]\(https://labkb\.readthedocs\.io/en/latest/(\S+?)\)", text)
    entries = [p for d in ("projects", "models", "news", "sources")
               for p in (REPO / "docs" / d).glob("*.yaml")]
    people = [p for p in (REPO / "docs/people").glob("*.md") if p.stem != "index"]
    expected = {str(p.relative_to(REPO / "docs").with_suffix(".md")) for p in entries + people}
    assert expected <= set(links)
    for link in links:
        assert (site / link).is_file(), link
    assert "- Kind: person" in (site / "people/rui-men.md").read_text(encoding="utf8")
    qwen2 = (site / "models/qwen2.md").read_text(encoding="utf8")
    assert "- Qwen2-72B: MMLU score 84.2 (source: yang2024qwen2, abstract; date: 2024-07-15" in qwen2
    assert "## Claims" in (site / "projects/adan.md").read_text(encoding="utf8")

"""The real site: built from clean with -W -n, holding what the seeds say."""

from __future__ import annotations

import json

from helpers import card_names, html

AREAS = ["ai-infrastructure", "multimodal-large-models", "reinforcement-learning-reasoning",
         "tools-and-agents", "embodied-intelligence", "new-architectures",
         "mechanistic-interpretability", "pretraining-post-training", "efficiency-optimization",
         "learning-frameworks", "network-architecture-design"]


def test_every_area_page_exists_and_is_linked_from_home(site):
    home = html(site, "index.html")
    links = {a["href"] for a in home.select("a[href]")}
    for area in AREAS:
        assert (site / f"research/{area}.html").exists()
        assert f"research/{area}.html" in links, area


def test_navbar_sections(site):
    nav = [a.get_text(strip=True) for a in html(site, "index.html").select(".navbar-nav a.nav-link")]
    assert nav[:5] == ["Research", "Projects", "Models", "Publications", "People"]


def test_dropdowns_hold_the_representative_works(site):
    expected = {
        "efficiency-optimization": {"Faster Optimizer": ["Adan", "SLRLA", "R-SPIDER", "HSDMPG"],
                                    "Plug-and-play Acceleration Framework": ["Win"],
                                    "Inference Acceleration of (multimodal) LLMs":
                                        ["GTO", "GRIFFIN"]},
        "learning-frameworks": {"Single-modal Learning": ["PCL", "Mugs", "SANE", "TEC", "PGCL"],
                                "Multi-modal Learning": ["PTP", "CLOT", "CoVGT", "Genixer",
                                                         "Wav-BERT"],
                                "Agentic Learning": ["CaPo", "CoTS"],
                                "Image Generation": ["MDT", "EditAnything", "FDT", "ScaleLong",
                                                     "PPOGAN"],
                                "3D Generation": ["Consistent3D", "DTC123", "Gamba", "Instant3D"]},
        "network-architecture-design": {"Manually-Designed Network": ["MetaFormer", "IFormer",
                                                                      "InceptionNeXt",
                                                                      "DualFormer", "SUN"],
                                        "Automatically-Designed Network": ["PR-DARTS"]},
    }
    for area, dropdowns in expected.items():
        soup = html(site, f"research/{area}.html")
        found = {d.select_one("summary").get_text(" ", strip=True): d.get_text(" ", strip=True)
                 for d in soup.select("details.sd-dropdown")}
        for title, works in dropdowns.items():
            assert title in found, (area, title, list(found))
            for work in works:
                assert work in found[title], (area, title, work)
    adan = html(site, "research/efficiency-optimization.html").select_one(
        'details.sd-dropdown a[href="https://arxiv.org/abs/2208.06677"]')
    assert adan.get_text() == "Adan"


def _plain(text: str) -> str:
    """Page text with Sphinx's smart quotes made straight again."""
    text = " ".join(text.split())
    return text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')


def test_people_pages_show_the_seed_figures(site):
    text = html(site, "people/rui-men.html").get_text(" ", strip=True)
    for figure in ("28", "25,845", "30", "44%", "62"):
        assert figure in text
    assert "Qwen Technical Report" in text
    pan = _plain(html(site, "people/pan-zhou.html").get_text(" ", strip=True))
    assert "panzhous.github.io" in pan
    # the page's author is not named by the page: the name's derivation is stated
    assert "does not state its author's name" in pan and "inferred from the host" in pan
    # the research figure is unavailable: its title stands in for it
    assert '"research image"' in pan and "assets/img/framework.png" in pan
    # the publication list says what it holds: 33 of the 36 works
    assert "33 of the 36 works" in pan
    for work in ("Win", "EditAnything", "DTC123"):
        assert work in pan
    assert "The works of the research page" not in pan
    people = _plain(html(site, "people/index.html").get_text(" ", strip=True))
    assert "No source states that either researcher is a member of the OpenMoss Lab" in people


def test_home_page_keeps_the_seed_wording(site):
    home = html(site, "index.html")
    assert home.select_one("h1").get_text(strip=True).startswith("OpenMoss Lab")
    text = _plain(home.get_text(" ", strip=True))
    assert "Want to work with us? Check out our join page or explore career opportunities!" in text
    assert "/join/" in text and "/career/" in text
    assert "They are not the lab's" in text
    projects = _plain(html(site, "projects/index.html").get_text(" ", strip=True))
    assert "C4, Maestro, SAGE, SlimQwen and OFASys" in projects


def test_search_index_contains_the_pages(site):
    """The site searches with Pagefind (the golden queries in tests/browser test what it finds):
    every page marked for it is indexed, and Sphinx's own index is not built."""
    assert not (site / "searchindex.js").exists()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf8"))
    marked = [p for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text("utf8")]
    assert {p.relative_to(site).as_posix() for p in marked} >= {
        "index.html", "models/moss-vl.html", "research/efficiency-optimization.html",
        "people/rui-men.html", "projects/adan.html"}
    assert entry["languages"]["zh"]["page_count"] == len(marked)


def test_moss_vl_model_card(site):
    soup = html(site, "models/moss-vl.html")
    sections = {s["id"] for s in soup.select("section[id]")}
    assert {"model-details", "architecture", "training", "capabilities", "applications",
            "significance"} <= sections
    # the article's challenges and trends concern the ecosystem and the field, not the model:
    # they are in the description with the article's framing, not the model's own sections
    assert not {"limitations", "outlook"} & sections
    text = soup.get_text(" ", strip=True)
    for phrase in ("Visual Encoder", "Multimodal Projection Layer", "Language Model Base",
                   "based on open-source general paradigms", "Image Description",
                   "Visual Question Answering", "Image-Text Retrieval", "Visual Reasoning",
                   "Visual Instruction Following", "Data Bottleneck", "多模态模型", "视觉理解",
                   "challenges of the open-source ecosystem", "trends of the field as a whole"):
        assert phrase in text, phrase
    assert len(soup.select("#capabilities dt")) == 5
    assert len(soup.select("#applications dt")) == 5
    # every training stage keeps the article's hedge
    stages = soup.select("#training li")
    assert len(stages) == 3
    assert all("based on open-source general paradigms" in li.get_text() for li in stages)


def test_moss_vl_source_is_identified(site):
    """The article's title, standfirst, publisher and dates, its history of the field and its
    whole conclusion."""
    text = html(site, "models/moss-vl.html").get_text(" ", strip=True)
    for phrase in ("MOSS-VL: The Core Multimodal Visual Understanding Model in the OpenMOSS "
                   "Ecosystem", "An in-depth analysis of the technical architecture",
                   "Zing Forum", "2026-04-08 18:55", "2026-04-08 19:22", "9 min",
                   "Early Exploration (2019-2021)", "Rise of Unified Architecture (2021-2023)",
                   "Big Model Era (2023-present)", "VisualBERT", "BLIP/ALBEF", "Flamingo",
                   "LLaVA/Qwen-VL",
                   "MOSS-VL is an important contribution of the open-source community",
                   "Mature visual understanding technology will make multimodal models a standard",
                   "provides valuable experience for Chinese open-source AI",
                   "Developers and researchers who understand its principles and applications "
                   "will gain an advantage."):
        assert phrase in text, phrase
    area = html(site, "research/multimodal-large-models.html").get_text(" ", strip=True)
    for phrase in ("Zing Forum", "2026-04-08",
                   "MOSS-VL: The Core Multimodal Visual Understanding Model in the OpenMOSS"):
        assert phrase in area, phrase


LAB_AREAS = AREAS[:8]
#: Entries and papers from the paper-aggregator profile (seed 002): no seed links them to the lab.
PROFILE_NAMES = {"Qwen", "Qwen2", "Qwen2.5", "Qwen3", "M6", "OFA", "C4", "Maestro", "Chinese CLIP",
                 "TBCNN-pair", "SAGE", "SlimQwen", "OFASys"}


def test_area_pages_show_their_entries(site):
    counts = {}
    for area in AREAS:
        soup = html(site, f"research/{area}.html")
        section = soup.select_one("section#projects-and-models")
        if area == "mechanistic-interpretability":  # the home page names no project for it
            assert "names no example project" in section.get_text(), area
            continue
        assert section.select("div.kb-grid"), area
        counts[area] = len(card_names(section))
    assert all(n > 0 for n in counts.values()), counts
    assert "MOSS-VL" in card_names(html(site, "research/multimodal-large-models.html"))


def test_profile_works_are_not_presented_as_lab_or_research_page_work(site):
    for area in AREAS:
        soup = html(site, f"research/{area}.html")
        own = soup.select_one("section#projects-and-models")
        assert not PROFILE_NAMES & set(card_names(own)), area
        assert not own.select(".kb-pub"), area  # no profile paper among the area's own works
        related = soup.select_one("section#related-work-from-the-rui-men-profile")
        if area == "embodied-intelligence":  # nothing of the profile is filed under it
            assert related is None
            continue
        assert related is not None, area
        text = related.get_text(" ", strip=True)
        assert "paper-aggregator profile of" in text and "Rui Men" in text, area
        assert "not" in text.split(".")[0], area
        keys = {p["data-kb-key"] for p in related.select(".kb-pub")}
        assert keys, area  # every area has profile papers filed under it by topic
    lab = html(site, "research/pretraining-post-training.html")
    related = lab.select_one("section#related-work-from-the-rui-men-profile")
    assert {"Qwen", "Qwen2", "Qwen3"} <= set(card_names(related))
    assert "not** presented" not in related.get_text()  # markup rendered
    assert "presented by any source as OpenMoss Lab work" in related.get_text(" ", strip=True)


def test_research_page_evidence_links(site):
    """The research page's leaderboard badges, the DiT repository, Win's and DTC123's papers."""
    hrefs = set()
    for area in ("efficiency-optimization", "learning-frameworks", "network-architecture-design"):
        hrefs |= {a["href"] for a in html(site, f"research/{area}.html").select("a[href]")}
    for href in ("https://paperswithcode.com/badge/masked-diffusion-transformer-is-a-strong/"
                 "image-generation-on-imagenet-256x256",
                 "https://paperswithcode.com/badge/metaformer-baselines-for-vision/"
                 "domain-generalization-on-imagenet-c",
                 "https://github.com/facebookresearch/DiT",
                 "https://github.com/yxymessi/DTC123/blob/main/DTC_CVPR.pdf"):
        assert href in hrefs, href
    text = html(site, "research/efficiency-optimization.html").get_text(" ", strip=True)
    assert "../assets/pdf/2024-JMLR-win.pdf" in text and "inferred, not stated" in text
    for entry, href in (("projects/mdt.html", "https://github.com/facebookresearch/DiT"),
                        ("projects/metaformer.html", "https://paperswithcode.com/badge/"
                         "metaformer-baselines-for-vision/domain-generalization-on-imagenet-c")):
        assert href in {a["href"] for a in html(site, entry).select("a[href]")}, entry
    # the quotation keeps the page's own word
    assert "new recording accuracy" in html(site, "research/network-architecture-design.html"
                                            ).get_text(" ", strip=True)


def test_every_entry_has_a_page(site):
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    for kind in ("projects", "models"):
        ids = sorted(p.stem for p in (docs / kind).glob("*.yaml"))
        assert ids, kind
        for entry_id in ids:
            assert (site / kind / f"{entry_id}.html").exists(), entry_id
        assert len(card_names(html(site, f"{kind}/index.html"))) == len(ids)


def _bib_entries():
    from pathlib import Path

    from pybtex.database import parse_file

    refs = Path(__file__).resolve().parent.parent / "refs"
    out = {}
    for path in sorted(refs.glob("*.bib")):
        out.update(parse_file(str(path)).entries)
    return out


def test_every_seed_paper_is_on_the_publications_page_and_its_area_lists(site):
    entries = _bib_entries()
    assert len(entries) == 63  # 30 papers of seed 002 + 33 works of seed 001
    listed = {p["data-kb-key"] for p in html(site, "publications.html").select(".kb-pub")}
    assert listed == set(entries)
    for key, entry in entries.items():
        for area in [k.strip() for k in entry.fields.get("keywords", "").split(",") if k.strip()]:
            page = html(site, f"research/{area}.html")
            assert key in {p["data-kb-key"] for p in page.select(".kb-pub")}, (key, area)


def test_researcher_page_lists_the_profile_papers_with_computed_figures(site):
    soup = html(site, "people/rui-men.html")
    keys = {p["data-kb-key"] for p in soup.select(".kb-pub")}
    assert len(keys) == 30
    stats = soup.select_one(".kb-stats").get_text(" ", strip=True)
    assert "Papers" in stats and "30" in stats and "2015–2025" in stats
    assert soup.select_one("figure.kb-chart-figure svg[role=img]") is not None
    # the profile's own figures stay as stated
    assert "25,845" in soup.get_text()


def test_json_export_validates_against_its_schema(site):
    import jsonschema

    data = json.loads((site / "knowledge.json").read_text(encoding="utf8"))
    schema = json.loads((site / "knowledge.schema.json").read_text(encoding="utf8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    assert data["schema_version"] == "1"
    moss = next(e for e in data["entries"] if e["id"] == "moss-vl")
    assert moss["kind"] == "model" and moss["url"].endswith("models/moss-vl.html")
    assert len(data["publications"]) == 63
    with __import__("pytest").raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "entries": [{"id": "x"}]}, schema)


def test_json_ld_open_graph_and_sitemap(site):
    soup = html(site, "models/moss-vl.html")
    ld = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert ld["@type"] == "SoftwareSourceCode" and ld["name"] == "MOSS-VL"
    qwen = json.loads(html(site, "models/qwen.html").select_one(
        'script[type="application/ld+json"]').string)
    assert qwen["citation"][0]["@type"] == "ScholarlyArticle"
    person = json.loads(html(site, "people/rui-men.html").select_one(
        'script[type="application/ld+json"]').string)
    assert person == {"@context": "https://schema.org", "@type": "Person", "name": "Rui Men",
                      "url": "https://labkb.readthedocs.io/en/latest/people/rui-men.html"}
    assert soup.select_one('meta[property="og:title"]')["content"] == "MOSS-VL"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf8")
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    sources = [p for p in docs.rglob("*") if p.suffix in (".md", ".yaml")]
    assert sitemap.count("<loc>") == len(sources)
    assert "<loc>https://labkb.readthedocs.io/en/latest/models/moss-vl.html</loc>" in sitemap


def test_research_overview_charts(site):
    soup = html(site, "research/index.html")
    labels = [svg["aria-label"] for svg in soup.select("#overview figure.kb-chart-figure svg")]
    assert len(labels) == 2
    assert labels[0].startswith("Entries and papers per research area (84 entries, 63 papers)")
    assert "Multimodal Large Models" in soup.select("#overview svg")[0].get_text()


def test_research_page_years_and_untitled_work_are_marked(site):
    """The research page states no years and calls one work only "This work"."""
    entries = _bib_entries()
    pan = {k: e for k, e in entries.items() if e.fields.get("people") == "pan-zhou"}
    assert len(pan) == 33
    for key, entry in pan.items():
        if "year" in entry.fields:  # every year comes from the arXiv id, and says so
            assert entry.fields["eprint"][:2] == entry.fields["year"][2:], key
            assert "year from the arXiv id" in entry.fields["note"], key
        else:
            assert "eprint" not in entry.fields, key
    work = entries["sgdadamgeneralization2020"]
    assert "Network Optimization Theory (SGD vs. ADAM)" not in work.fields["title"]
    assert work.fields["title"].startswith("{[untitled")
    page = _plain(html(site, "projects/sgd-adam-generalization.html").get_text(" ", strip=True))
    assert "SGD vs. ADAM)" not in page and '"This work"' in page
    adan = _plain(html(site, "projects/adan.html").get_text(" ", strip=True))
    assert "year (2022): from the arXiv id 2208.06677" in adan  # the Derived values block
    pub = html(site, "publications.html").select_one('.kb-pub[data-kb-key="adan2022"]')
    assert "year from the arXiv id" in pub.select_one(".kb-pub-venue").get_text()


def test_profile_entries_say_only_what_the_profile_says(site):
    qwen2vl = html(site, "models/qwen2-vl.html")
    variants = [tr.select("td")[0].get_text(strip=True) for tr in qwen2vl.select(
        ".kb-variants tbody tr")]
    assert variants == ["2B version", "8B version", "Qwen2-VL-72B"]  # the seed names only 72B
    ofa = _plain(html(site, "models/ofa.html").select_one("#capabilities").get_text(" ", strip=True))
    assert "New SOTAs in a series of cross-modal tasks (the paper does not say which)" in ofa
    assert "Image-text retrieval" not in html(site, "models/chinese-clip.html").get_text()
    assert "strong closed-source models" in html(site, "models/qwen3-omni.html").get_text(" ")
    for page in ("models/qwen3-vl.html", "models/ofa.html", "projects/ofasys.html"):
        tags = {b.get_text(strip=True) for b in html(site, page).select(".kb-badges .sd-badge")}
        assert "多模态" not in tags, page
    for page in ("models/chinese-clip.html", "models/m6.html"):
        assert "language code zh of this entry is inferred" in _plain(
            html(site, page).get_text(" ", strip=True)), page


def test_every_entry_person_and_area_page_names_its_sources(site):
    """Provenance: no page of the knowledge base without its sources, each a link to a record."""
    sections = ("projects", "models", "research", "people")
    pages = [p for p in site.rglob("*.html")
             if (p.relative_to(site).parts[0] in sections and p.name != "index.html")
             or p.relative_to(site).as_posix() in ("research/index.html", "people/index.html",
                                                   "index.html")]
    assert len(pages) > 90
    for page in pages:
        soup = html(site, page.relative_to(site).as_posix())
        block = soup.select_one("section.kb-sources, div.kb-sources")
        assert block is not None, page
        links = block.select("li a")
        assert links and all(a["href"].split("#")[0].rsplit("/", 1)[-1].removesuffix(".html")
                              in {"openmoss-home", "pan-zhou-research", "rui-men-profile",
                                  "zing-2026-moss-vl"} for a in links), page


def test_a_derived_year_is_shown_with_its_basis(site):
    adan = html(site, "projects/adan.html")
    badges = [b.get_text(strip=True) for b in adan.select(".kb-badges .sd-badge")]
    assert "arXiv 2022" in badges and "TPAMI" in badges and "2022" not in badges
    derived = adan.select_one("section.kb-derived").get_text(" ", strip=True)
    assert "year (2022): from the arXiv id 2208.06677" in derived
    source = html(site, "sources/pan-zhou-research.html")
    assert "Adan" in source.select_one("#based-on").get_text()


def test_curation_page(site):
    page = html(site, "about/curation.html").select_one(".kb-curation")
    assert "100% of the projects and models name a source" in page.get_text(" ", strip=True)
    assert page.select_one("table.kb-curation-fields") is not None

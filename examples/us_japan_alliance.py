"""Example brief: the U.S.–Japan alliance, 2015–2017, from the five texts in ``seeds/``.

Every sentence is tied to the exact passage it rests on: quotations and figures are taken from
the sources, not retyped, and each sentence in the author's own words cites the passage it
restates. Where the sources give different numbers (U.S. troops in Japan, Japan's share of the
cost), all of them are shown side by side, each with its own citation.

Run it from the repository root::

    python examples/us_japan_alliance.py                     # writes out/us-japan-alliance/
    python examples/us_japan_alliance.py --out /tmp/brief    # somewhere else

It exports the brief as JSON (the provenance manifest) and Markdown, plus DOCX, PDF and HTML
when those exporters are registered, then verifies every written file that briefkit can read
back against the source files, and exits with status 0 only if every citation resolves.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs

import briefkit as bk

#: Source ids (file names in ``seeds/``).
CNN_2016 = "000_28b258b49d188a62.txt"  # CNN, December 5, 2016: Carter's visit after the election
DOD_2015 = "001_0e13d3aa4086082f.txt"  # Department of Defense, April 9, 2015: Carter and Nakatani
MATTIS = "002_a5ab00941732d00c.txt"  # undated report: Mattis's first trip abroad
TOKYO = "003_b0c21617a70affee.txt"  # undated Japanese report: Tokyo and the Trump administration
OVERVIEW = "004_35db4e2c9c51291d.txt"  # undated overview of the alliance

SOURCE_IDS = (CNN_2016, DOD_2015, MATTIS, TOKYO, OVERVIEW)

DEFAULT_SOURCES = Path(__file__).resolve().parents[1] / "seeds"
#: The figure the brief shows (drawn by us-japan-alliance/make_figure.py).
FIGURES = Path(__file__).resolve().parent / "us-japan-alliance" / "figures"
DEFAULT_OUT = Path("out/us-japan-alliance")

#: Formats always written, and formats written when an exporter for them is registered.
BASE_FORMATS = ("json", "md")
OPTIONAL_FORMATS = ("docx", "pdf", "html")


@attrs.frozen
class Figures:
    """The figures on which the sources disagree; used in the key points and in the
    comparison section, so both cite the very same spans."""

    troops_cnn: bk.Figure
    troops_mattis: bk.Figure
    troops_overview: bk.Figure
    cost_cnn: bk.Figure
    cost_overview: bk.Figure


#: The quantities the sources disagree on (each figure names the one it measures).
TROOPS = "U.S. troops in Japan"
COST = "Japan's payment toward the cost of U.S. forces"


def _figures(corpus: bk.Corpus) -> Figures:
    cnn, mattis, overview = corpus[CNN_2016], corpus[MATTIS], corpus[OVERVIEW]
    return Figures(
        troops_cnn=cnn.figure(
            "50,000",
            unit="U.S. troops",
            within="US has 50,000 troops stationed in Japan",
            measure=TROOPS,
        ),
        troops_mattis=mattis.figure(
            "47,000",
            unit="U.S. troops",
            within="Some 47,000 US troops are stationed in Japan",
            measure=TROOPS,
        ),
        troops_overview=overview.figure(
            "54,000",
            unit="U.S. troops",
            within="About 54,000 U.S. troops are stationed in Japan and have the exclusive use "
            "of 85 facilities.",
            measure=TROOPS,
        ),
        cost_cnn=cnn.figure(
            "$1.6 billion",
            within="the Japanese government pays $1.6 billion of the costs associated with "
            "basing US personnel there",
            measure=COST,
        ),
        cost_overview=overview.figure(
            "nearly $2 billion",
            unit="per year",
            within="The Japanese government currently provides nearly $2 billion per year to "
            "offset the cost of stationing U.S. forces in Japan",
            measure=COST,
        ),
    )


def _occurrence(source: bk.Source, text: str, n: int) -> tuple[int, int]:
    """Start and end of the ``n``-th occurrence (0-based) of a passage that a source repeats
    (such as a photo caption printed twice)."""
    spans = source.find_all(text)
    if len(spans) <= n:
        raise bk.TextNotFoundError(f"{source.id}: {text!r} occurs {len(spans)} time(s)")
    return spans[n].start, spans[n].end


# -- key points ------------------------------------------------------------------------------


def _key_points(corpus: bk.Corpus, figs: Figures) -> list[bk.Sentence]:
    cnn, dod, mattis = corpus[CNN_2016], corpus[DOD_2015], corpus[MATTIS]
    tokyo, overview = corpus[TOKYO], corpus[OVERVIEW]
    return [
        bk.sentence(
            "Two U.S. defense secretaries went to Japan to reaffirm the alliance: Ash Carter in "
            "April 2015 and again in December 2016, after Donald Trump's election, and "
            "James Mattis on the first trip abroad by any senior official of the Trump "
            "administration.",
            cite=[
                dod.paraphrase("NEWS | April 9, 2015"),
                dod.paraphrase(
                    "Ash Carter met today in Tokyo with Japanese Defense Minister Gen Nakatani"
                ),
                cnn.paraphrase("Updated 3:09 AM EST, Mon December 5, 2016"),
                cnn.paraphrase(
                    "Secretary of Defense Ash Carter arrived in Japan Monday, a visit that comes "
                    "amid fears that President-elect Donald Trump might pivot away from the "
                    "decades-long US-Japan security alliance"
                ),
                mattis.paraphrase(
                    "his visit marks the first overseas trip of any senior official from US "
                    "President Donald Trump’s administration"
                ),
            ],
        ),
        bk.sentence(
            "Trump questioned the value of the alliance during his campaign and said Tokyo should "
            "pay more for U.S. troops; Japan's government answers that its share is already "
            "larger than that of other U.S. allies and seeks to strengthen the alliance with "
            "the new administration.",
            cite=[
                cnn.paraphrase(
                    "questioning the value of the alliance with Japan and saying Tokyo should pay "
                    "more for the American troops stationed there"
                ),
                tokyo.paraphrase(
                    "The Japanese government’s position is that it will be difficult to further "
                    "increase Japan’s share of the cost of the USFJ because “Japan’s financial "
                    "share is greater than other U.S. allies’ contributions,”",
                    normalize=True,  # the source has no-break spaces in this passage
                ),
                tokyo.paraphrase(
                    "It will continue to seek the strengthening of the alliance relationship with "
                    "the Trump administration."
                ),
            ],
        ),
        bk.sentence(
            "The sources do not agree on the basic numbers: U.S. troops in Japan are put at ",
            attrs.evolve(figs.troops_cnn, unit=None),
            ", ",
            attrs.evolve(figs.troops_mattis, unit=None),
            " and about ",
            attrs.evolve(figs.troops_overview, unit=None),
            ", and Japan's contribution to the cost of the U.S. presence at ",
            figs.cost_cnn,
            " or ",
            figs.cost_overview,
            ".",
        ),
        bk.sentence(
            "North Korea's nuclear and missile programs and China's growing power and "
            "assertiveness are the main regional pressures on the alliance.",
            cite=[
                overview.paraphrase(
                    "North Korea’s increased ballistic missile and nuclear capabilities pose a "
                    "direct threat to Japan."
                ),
                overview.paraphrase(
                    "Both Japan and the United States view China’s growing power (especially "
                    "military power) and territorial assertiveness in the East China Sea and "
                    "elsewhere as a destabilizing force"
                ),
            ],
        ),
    ]


# -- section 1: the visits -------------------------------------------------------------------


def _visit_2015(corpus: bk.Corpus) -> bk.Section:
    dod = corpus[DOD_2015]
    return bk.section(
        "April 2015: Carter and Nakatani in Tokyo",
        bk.paragraph(
            bk.sentence(
                "On the first stop of his first Asia-Pacific trip as defense secretary, Ash "
                "Carter met Japanese Defense Minister Gen Nakatani in Tokyo on April 9, 2015.",
                cite=[
                    dod.paraphrase(
                        "On the initial overseas stop of his first Asia-Pacific trip as defense "
                        "secretary, Ash Carter met today in Tokyo with Japanese Defense Minister "
                        "Gen Nakatani"
                    ),
                    dod.paraphrase("NEWS | April 9, 2015"),
                ],
            ),
            bk.sentence(
                "Their talks covered the defense cooperation guidelines, security legislation, "
                "space, cyberspace, cooperation on equipment and on science and technology, and "
                "the realignment of U.S. forces in Japan.",
                cite=dod.paraphrase(
                    "The leaders talked about defense cooperation guidelines, security "
                    "legislation, space, cyberspace, equipment and science technology "
                    "cooperation, in addition to the realignment of U.S. forces in Japan."
                ),
            ),
            bk.sentence(
                "Carter said he was ",
                dod.quote(
                    "personally committed to overseeing the next phase of the U.S. rebalance, "
                    "which will deepen and diversify our engagement in the region"
                ),
                ".",
            ),
            bk.sentence(
                "Nakatani said the security environment in the Asia-Pacific encourages agreements "
                "to oppose attempts to change the status quo by force in the East China Sea and "
                "elsewhere.",
                cite=dod.paraphrase(
                    "The security environment in the Asia-Pacific region encourages agreements "
                    "to oppose attempts at changing the status quo by force in the East China "
                    "Sea and elsewhere, Nakatani said."
                ),
            ),
            bk.sentence(
                "The allies were revising their defense guidelines, last updated in 1997, to set "
                "out how the two governments would work together around the world and in new "
                "domains such as space and cyberspace.",
                cite=[
                    dod.paraphrase(
                        "update our alliance's defense guidelines, which hasn't been done since "
                        "1997"
                    ),
                    dod.paraphrase(
                        "The new defense guidelines detail how both governments will continue to "
                        "work together around the world and in new domains such as space and "
                        "cyberspace"
                    ),
                ],
            ),
            bk.sentence(
                "Nakatani said the guidelines would ensure Japan's peace and security and help it "
                "respond flexibly ",
                dod.quote("to the full scope of challenges we face"),
                ".",
                cite=dod.paraphrase(
                    "Nakatani said it would ensure Japan's peace and security and help it "
                    "respond flexibly"
                ),
            ),
        ),
        bk.block_quote(
            dod.quote(
                "Our investments in technological breakthroughs, deploying our finest "
                "capabilities to the Asia-Pacific and realigning our posture in the region, "
                "helps reinforce the close bonds of friendship, such as the U.S.-Japan alliance, "
                "that are the bedrock of our key role in the security of the Asia-Pacific",
                speaker="Ash Carter",
            )
        ),
        bk.paragraph(
            bk.sentence(
                "Carter said the rebalance meant a U.S. posture in the region that is more "
                "broadly distributed, more flexible and more sustainable, and that the United "
                "States was ",
                dod.quote(
                    "committed to being good neighbors, which includes realigning our bases and "
                    "being cognizant of any negative impacts of our operations on local "
                    "communities"
                ),
                ".",
                cite=dod.paraphrase(
                    "we are adapting our overall defense posture in the region to meet [and] be "
                    "more broadly distributed, more flexible and more sustainable"
                ),
            ),
        ),
    )


def _visit_2016(corpus: bk.Corpus) -> bk.Section:
    cnn = corpus[CNN_2016]
    return bk.section(
        "December 2016: Carter after the U.S. election",
        bk.paragraph(
            bk.sentence(
                "Carter arrived in Japan on December 5, 2016, amid fears that President-elect "
                "Donald Trump might pivot away from the alliance and amid heightened concern "
                "over the North Korean threat.",
                cite=[
                    cnn.paraphrase(
                        "Secretary of Defense Ash Carter arrived in Japan Monday, a visit that "
                        "comes amid fears that President-elect Donald Trump might pivot away "
                        "from the decades-long US-Japan security alliance and heightened concern "
                        "over the North Korean threat."
                    ),
                    cnn.paraphrase("Updated 3:09 AM EST, Mon December 5, 2016"),
                ],
            ),
            bk.sentence(
                "Speaking to reporters on the way to Yokota Air Base near Tokyo, ",
                cnn.quote("Our alliance with Japan has never been stronger", speaker="Ash Carter"),
                ".",
                cite=cnn.paraphrase(
                    "Carter told reporters while en route to Yokota Air Base near Tokyo"
                ),
            ),
            bk.sentence(
                "He added, ",
                cnn.quote("This is a two-way street, we provide enhanced security to one another"),
                ", and said he was satisfied with Japan's contributions to the alliance.",
                cite=cnn.paraphrase(
                    "saying he was “satisfied” with Japan’s contributions to the alliance"
                ),
            ),
            bk.sentence(
                "On landing, Carter met U.S. troops stationed in Japan; on the second day of the "
                "two-day visit he was due to meet Defense Minister Tomomi Inada and Prime "
                "Minister Shinzo Abe.",
                cite=[
                    cnn.paraphrase(
                        "Carter met upon landing with US troops, some of the 50,000 stationed in "
                        "Japan, as part of a two-day visit to the long-time US ally."
                    ),
                    cnn.paraphrase(
                        "He is also due to meet with his Japanese counterpart, Defense Minister "
                        "Tomomi Inada, and Japanese Prime Minister Shinzo Abe on Tuesday."
                    ),
                ],
            ),
            bk.sentence(
                "Abe had been the first world leader to meet Trump after the election, visiting "
                "him at Trump Tower in New York.",
                cite=cnn.paraphrase(
                    "Abe was the first world leader to meet with Trump after his surprise "
                    "election victory last month, visiting the president-elect at Trump Tower "
                    "in New York."
                ),
            ),
            bk.sentence(
                "Immediately after that meeting, ",
                cnn.quote("Mr. Trump is a leader I can have confidence in", speaker="Shinzo Abe"),
                ".",
                cite=cnn.paraphrase("Abe told the press immediately after that"),
            ),
        ),
    )


def _visit_mattis(corpus: bk.Corpus) -> bk.Section:
    mattis = corpus[MATTIS]
    caption = "James Mattis (L) and Shinzo Abe meet in Tokyo, Japan, on Feb. 3"
    start, end = _occurrence(mattis, caption, 0)
    return bk.section(
        "Mattis's first trip abroad as defense secretary",
        bk.paragraph(
            bk.sentence(
                "James Mattis made his first foreign trip as defense secretary to South Korea and "
                "Japan, the first overseas trip by any senior official of the Trump "
                "administration.",
                cite=[
                    mattis.paraphrase(
                        "US Defense Secretary James Mattis makes first foreign trip to key allies "
                        "South Korea and Japan to reaffirm military alliance"
                    ),
                    mattis.paraphrase(
                        "Mattis arrived from South Korea and his visit marks the first overseas "
                        "trip of any senior official from US President Donald Trump’s "
                        "administration"
                    ),
                ],
            ),
            bk.sentence(
                "Meeting Abe in Tokyo on February 3, ",
                mattis.quote(
                    "We stand firmly, 100%, shoulder-to-shoulder with you and (the) Japanese "
                    "people",
                    speaker="James Mattis",
                ),
                ".",
                cite=[
                    mattis.paraphrase(caption, start=start, end=end),
                    mattis.paraphrase("Mattis told Japanese Prime Minister Shinzo Abe"),
                ],
            ),
            bk.sentence(
                "He said he wanted ",
                mattis.quote(
                    "to make certain that Article Five of our mutual defense treaty is understood "
                    "to be as real to us today as it was a year ago, five years ago and it will "
                    "be a year and 10 years from now"
                ),
                ".",
            ),
            bk.sentence(
                "As the report summarizes it, Article Five of the security treaty commits each "
                "country to repel any attack on the other in Japan or in territories Japan "
                "administers.",
                cite=mattis.paraphrase(
                    "Article five of the security treaty commits each country to repel any "
                    "attacks on each other in Japan or territories it administers."
                ),
            ),
            bk.sentence(
                "Abe, who was due to hold a summit with Trump in the United States the following "
                "week, also stressed the importance of the alliance.",
                cite=mattis.paraphrase(
                    "Abe, who is set to hold a summit with Trump next week in the US, also "
                    "stressed the importance of the alliance."
                ),
            ),
            bk.sentence(
                mattis.quote(
                    "I am convinced, together with you and President Trump, we will be able to "
                    "demonstrate the unwavering alliance between Japan and the United States "
                    "both to the public inside Japan as well as outside Japan",
                    speaker="Shinzo Abe",
                ),
                ".",
            ),
        ),
    )


def _visits(corpus: bk.Corpus) -> bk.Section:
    return bk.section(
        "Reassurance visits by U.S. defense secretaries, 2015–2017",
        bk.paragraph(
            bk.analysis(
                "The three visits below span a change of U.S. administration: the message "
                "delivered in Tokyo stayed ",
                bk.em("the same"),
                " before and after Trump took office, while the concern behind it shifted from "
                "carrying out the U.S. rebalance to Asia to the doubts raised by Trump's "
                "campaign statements.",
            ),
        ),
        _visit_2015(corpus),
        _visit_2016(corpus),
        _visit_mattis(corpus),
    )


# -- section 2: forces -----------------------------------------------------------------------


def _forces(corpus: bk.Corpus) -> bk.Section:
    cnn, overview = corpus[CNN_2016], corpus[OVERVIEW]
    return bk.section(
        "U.S. forces in Japan",
        bk.paragraph(
            bk.sentence(
                "The alliance was forged during the U.S. occupation of Japan after World War II "
                "and has long been an anchor of the U.S. security role in Asia, providing a "
                "platform for U.S. military readiness in the Pacific.",
                cite=[
                    overview.paraphrase(
                        "The U.S.-Japan alliance has long been an anchor of the U.S. security "
                        "role in Asia"
                    ),
                    overview.paraphrase(
                        "Forged during the U.S. occupation of Japan after its defeat in World "
                        "War II, the alliance provides a platform for U.S. military readiness in "
                        "the Pacific."
                    ),
                ],
            ),
            bk.sentence(
                "U.S. forces in Japan have the exclusive use of ",
                overview.figure("85", unit="facilities", within="exclusive use of 85 facilities"),
                ", and in exchange for the use of these bases the United States guarantees "
                "Japan's security.",
                cite=overview.paraphrase(
                    "In exchange for the use of these bases, the United States guarantees "
                    "Japan’s security."
                ),
            ),
            bk.sentence(
                "Carter said that having American troops in Japan gives the United States the "
                "advantage of being forward-based in the region.",
                cite=cnn.paraphrase(
                    "having American troops in Japan allowed the US the advantage of being "
                    "forward-based in the region"
                ),
            ),
            bk.analysis(
                "The sources do not agree on how many U.S. troops are stationed in Japan: ",
                bk.ref("troops-chart"),
                " sets their three figures side by side, and ",
                bk.ref("disagree"),
                " compares them.",
            ),
        ),
        bk.paragraph(
            bk.sentence(
                "Since the early 2000s the two countries have improved the alliance's operational "
                "capability as a combined force, and their joint response to the 2011 earthquake "
                "and tsunami in Japan demonstrated the two militaries' increased "
                "interoperability.",
                cite=[
                    overview.paraphrase(
                        "Since the early 2000s, the United States and Japan have improved the "
                        "alliance’s operational capability as a combined force, despite "
                        "constraints."
                    ),
                    overview.paraphrase(
                        "The joint response to a 2011 tsunami and earthquake in Japan "
                        "demonstrated the two militaries’ increased interoperability."
                    ),
                ],
            ),
            bk.sentence(
                "Japan now fields advanced military assets of its own, many of which complement "
                "U.S. forces in missions such as antisubmarine operations; cooperation on "
                "ballistic missile defense, and new attention to the cyber and space domains, "
                "are ongoing.",
                cite=[
                    overview.paraphrase(
                        "Japan now fields its own advanced military assets, many of which "
                        "complement U.S. forces in missions like antisubmarine operations."
                    ),
                    overview.paraphrase(
                        "Cooperation on ballistic missile defense and new attention to the cyber "
                        "and space domains remains ongoing."
                    ),
                ],
            ),
            bk.sentence(
                "Constitutional, legal, fiscal and political barriers hinder further development "
                "of defense cooperation, although Japan is steadily expanding its capabilities.",
                cite=overview.paraphrase(
                    "Although constitutional, legal, fiscal, and political barriers hinder "
                    "further development of defense cooperation, Japan is steadily expanding its "
                    "capabilities"
                ),
            ),
        ),
    )


# -- section 3: cost sharing -----------------------------------------------------------------


def _costs(corpus: bk.Corpus, figs: Figures) -> bk.Section:
    cnn, mattis, tokyo, overview = (
        corpus[CNN_2016],
        corpus[MATTIS],
        corpus[TOKYO],
        corpus[OVERVIEW],
    )
    return bk.section(
        "Cost sharing and host-nation support",
        bk.paragraph(
            bk.sentence(
                "During his campaign Trump questioned the value of the alliance and said Tokyo "
                "should pay more for the American troops stationed in Japan.",
                cite=cnn.paraphrase(
                    "Trump had voiced a skeptical view of the US-Japan relationship during his "
                    "campaign, questioning the value of the alliance with Japan and saying Tokyo "
                    "should pay more for the American troops stationed there."
                ),
            ),
            bk.sentence(
                "At a March campaign rally in Boca Raton, Florida, ",
                cnn.quote(
                    "You know we guard Japan, now if something happens to us Japan doesn’t have "
                    "to help, if somebody attacks Japan we are in World War III, folks, I hate "
                    "to tell you",
                    speaker="Donald Trump",
                ),
                ".",
                cite=cnn.paraphrase(
                    "Trump said during a March campaign rally in Boca Raton, Florida."
                ),
            ),
            bk.sentence(
                "He also accused Seoul and Tokyo of not paying their fair share for U.S. troops "
                "stationed in their countries.",
                cite=mattis.paraphrase(
                    "accused Seoul and Tokyo of not paying their fair share for US troops "
                    "stationed in their countries"
                ),
            ),
        ),
        bk.paragraph(
            bk.sentence(
                "American officials pushed back on the idea that Japan is free-riding, noting that "
                "the "
                "Japanese government pays ",
                figs.cost_cnn,
                " of the costs of basing U.S. personnel there.",
                cite=cnn.paraphrase(
                    "American officials have pushed back on the notion that Japan is "
                    "free-riding on the relationship"
                ),
            ),
            bk.sentence(
                "Carter said Japan reimburses the United States for a large part of these costs, "
                "adding, ",
                cnn.quote("It shows it’s a two-way street"),
                ".",
                cite=cnn.paraphrase(
                    "Japan reimburses the United States for a large faction of those costs"
                ),
            ),
            bk.sentence(
                "Some analysts have said that this contribution makes it cheaper to keep troops "
                "in Japan than to station them in the United States.",
                cite=cnn.paraphrase(
                    "Some analysts have said that this financial contribution means that it is "
                    "actually cheaper to keep troops in Japan than it would be to station them "
                    "in the US."
                ),
            ),
            bk.sentence(
                "The undated overview of the alliance puts Japan's payment at ",
                figs.cost_overview,
                " to offset the cost of stationing U.S. forces, besides purchases of millions of "
                "dollars of U.S. defense equipment each year.",
                cite=overview.paraphrase(
                    "in addition to purchasing millions of dollars of U.S. defense equipment "
                    "annually"
                ),
            ),
            bk.sentence(
                "It warns that limited resources could strain alliance capabilities and lead to "
                "more contentious negotiations on cost sharing.",
                cite=overview.paraphrase(
                    "Limited resources could strain alliance capabilities as well as produce "
                    "more contentious negotiations on costsharing."
                ),
            ),
        ),
        bk.paragraph(
            bk.sentence(
                "Abe has repeatedly argued that Japan bears an appropriate share of the costs of "
                "an alliance that, he stresses, benefits the United States, Japan and the wider "
                "region.",
                cite=mattis.paraphrase(
                    "Abe has repeatedly argued that Japan bears an appropriate share of the "
                    "costs of the alliance, which he stresses benefits the United States, Japan "
                    "and the broader region."
                ),
            ),
            bk.sentence(
                "According to a government source, Tokyo's position is that a further increase "
                "in its share of the cost of U.S. Forces Japan will be difficult because ",
                tokyo.quote(
                    "Japan’s financial share is greater than other U.S. allies’ contributions"
                ),
                ".",
                cite=tokyo.paraphrase(
                    "The Japanese government’s position is that it will be difficult to further "
                    "increase Japan’s share of the cost of the USFJ",
                    normalize=True,  # the source has no-break spaces in this passage
                ),
            ),
            bk.analysis(
                "The cost debate turns on the size of Japan's payment, yet none of the sources "
                "gives the ",
                bk.strong("total cost"),
                " of the U.S. presence that the payment is set against, so the share Japan "
                "covers cannot be worked out from them; ",
                bk.ref("disputed"),
                " sets the two payment figures side by side.",
            ),
        ),
    )


# -- section 4: Tokyo and the Trump administration -------------------------------------------


def _tokyo(corpus: bk.Corpus) -> bk.Section:
    tokyo, overview = corpus[TOKYO], corpus[OVERVIEW]
    return bk.section(
        "Japan's position toward the Trump administration",
        bk.paragraph(
            bk.sentence(
                "The Japanese government regards the alliance as the ",
                tokyo.quote("cornerstone of its foreign and security policies"),
                ", in Prime Minister Abe's words, and intends to keep strengthening it with the "
                "Trump administration.",
                cite=[
                    tokyo.paraphrase("(in the words of Prime Minister Shinzo Abe)"),
                    tokyo.paraphrase(
                        "It will continue to seek the strengthening of the alliance relationship "
                        "with the Trump administration."
                    ),
                ],
            ),
            bk.sentence(
                "At a news conference on January 20, ",
                tokyo.quote(
                    "we will also consolidate the bilateral alliance with the Trump "
                    "administration and further strengthen our existing bonds",
                    speaker="Chief Cabinet Secretary Yoshihide Suga",
                ),
                ".",
                cite=tokyo.paraphrase(
                    "Chief Cabinet Secretary Yoshihide Suga emphasized at his news conference on "
                    "Jan. 20"
                ),
            ),
            bk.sentence(
                "He also said the alliance ",
                tokyo.quote(
                    "plays an extremely important role for peace and prosperity in Asia and the "
                    "Pacific"
                ),
                ".",
            ),
            bk.sentence(
                "The government planned a meticulous analysis of Trump's inauguration speech to "
                "judge the right distance to keep from him.",
                cite=tokyo.paraphrase(
                    "The government will do a meticulous analysis of Trump’s inauguration speech "
                    "in order to gauge the optimum distance with him."
                ),
            ),
        ),
        bk.paragraph(
            bk.sentence(
                "Besides pressing Japan to pay more toward U.S. Forces Japan, Trump has taken "
                "issue with the U.S. trade deficit with Japan.",
                cite=tokyo.paraphrase(
                    "In addition to increasing the contribution to the cost of U.S. Forces Japan "
                    "(USFJ), Trump has also taken issue with the trade deficit with Japan.",
                    normalize=True,  # the source has no-break spaces in this passage
                ),
            ),
            bk.sentence(
                "The report on Tokyo's approach gives two readings of these remarks: that Trump "
                "is still "
                "fixated on a view of Japan from the trade friction of the 1980s, or that he "
                "meant them to put pressure on Japan ahead of future negotiations.",
                cite=tokyo.paraphrase(
                    "While it is said that he is still fixated with a view of Japan from the "
                    "1980s, when there was intense Japan-U.S. trade friction, there is also an "
                    "opinion that these remarks were meant to put pressure on Japan in "
                    "anticipation of future negotiations."
                ),
            ),
            bk.sentence(
                "Tokyo intends to prod Trump to ",
                tokyo.quote("change tack"),
                " by explaining in detail why the alliance matters.",
                cite=tokyo.paraphrase(
                    "by offering a meticulous explanation of the importance of the Japan-U.S. "
                    "alliance"
                ),
            ),
            bk.sentence(
                "After the cabinet meeting on January 20, ",
                tokyo.quote(
                    "I hope that Mr. Trump and other administration officials will engage in "
                    "more detailed discussions from now on",
                    speaker="Okinawa Affairs Minister Yosuke Tsuruho",
                ),
                ".",
                cite=tokyo.paraphrase(
                    "Okinawa Affairs Minister Yosuke Tsuruho stated at a news conference held "
                    "after the cabinet meeting on Jan. 20"
                ),
            ),
            bk.sentence(
                "Japanese officials expected Trump's policies to take shape only once working-"
                "level officials were appointed, and saw no point in reacting anxiously to "
                "everything he said.",
                cite=tokyo.paraphrase(
                    "the Trump administration’s policies will only take shape after the "
                    "working-level officials are appointed, so there is no point in reacting "
                    "anxiously to everything he says right now."
                ),
            ),
        ),
        bk.paragraph(
            bk.sentence(
                "The undated overview describes Abe as a stalwart supporter of the alliance whose "
                "dominance of Japanese politics since late 2012 has created opportunities for "
                "more predictable alliance planning.",
                cite=[
                    overview.paraphrase(
                        "Japanese Prime Minister Shinzo Abe is a stalwart supporter of the alliance"
                    ),
                    overview.paraphrase(
                        "Abe’s dominance over Japanese politics since his election in late 2012 "
                        "has created opportunities for more predictable alliance planning."
                    ),
                ],
            ),
            bk.sentence(
                "It also finds that Trump's open skepticism of U.S. alliances and his admiration "
                "of North Korean leader Kim Jong-un have deepened longstanding anxiety in Tokyo "
                "about the U.S. commitment to Japan's security.",
                cite=overview.paraphrase(
                    "U.S. President Donald J. Trump’s open skepticism of the value of U.S. "
                    "alliances and his admiration of North Korean leader Kim Jong-un have "
                    "exacerbated longstanding anxiety in Tokyo about the U.S. commitment to "
                    "Japan’s security."
                ),
            ),
            bk.analysis(
                "Taken together, the reports describe a Japanese strategy of holding firmly to "
                "the alliance, answering the cost argument by pointing to the size of Japan's "
                "contribution, and waiting for the new "
                "administration's policies to settle rather than reacting to each statement."
            ),
        ),
    )


# -- section 5: the region -------------------------------------------------------------------


def _region(corpus: bk.Corpus) -> bk.Section:
    mattis, overview = corpus[MATTIS], corpus[OVERVIEW]
    return bk.section(
        "The regional security picture",
        bk.paragraph(
            bk.sentence(
                "Japan faces a complex regional security landscape with potentially significant "
                "implications for the alliance.",
                cite=overview.paraphrase(
                    "Japan faces a complex security landscape in the region, with potentially "
                    "significant implications for the alliance."
                ),
            ),
            bk.analysis("Four pressures recur across the sources."),
        ),
        bk.bullets(
            bk.sentence(
                "North Korea: its growing ballistic missile and nuclear capabilities pose a "
                "direct threat to Japan, and in the year before Mattis's trip it carried out two "
                "atomic tests and a series of missile launches.",
                cite=[
                    overview.paraphrase(
                        "North Korea’s increased ballistic missile and nuclear capabilities pose "
                        "a direct threat to Japan."
                    ),
                    mattis.paraphrase(
                        "North Korea carried out two atomic tests and a series of missile "
                        "launches last year"
                    ),
                ],
            ),
            bk.sentence(
                "China: both allies see its growing power, especially its military power, and its "
                "territorial assertiveness in the East China Sea and elsewhere as a destabilizing "
                "force that diminishes U.S. influence and erodes long-standing regional norms.",
                cite=overview.paraphrase(
                    "Both Japan and the United States view China’s growing power (especially "
                    "military power) and territorial assertiveness in the East China Sea and "
                    "elsewhere as a destabilizing force that diminishes U.S. influence and "
                    "erodes long-standing norms in the region."
                ),
            ),
            bk.sentence(
                "Japan and South Korea: their tense relationship has prevented effective "
                "trilateral coordination, which may leave the United States less able to respond "
                "to North Korean threats or to influence China.",
                cite=overview.paraphrase(
                    "Of particular concern to the United States is the tense Japan-South Korea "
                    "relationship, which has prevented effective trilateral coordination. "
                    "Without cooperation among its allies, the United States may find itself "
                    "less able to respond to North Korean threats or to influence China’s "
                    "behavior."
                ),
            ),
            bk.sentence(
                "Missile defense: Mattis and South Korean Prime Minister Hwang Kyo-ahn agreed to "
                "go ahead with deploying a U.S. missile defense system that China strongly "
                "opposes and fears will weaken its nuclear deterrent.",
                cite=[
                    mattis.paraphrase(
                        "On Thursday Mattis and South Korean Prime Minister Hwang Kyo-ahn agreed "
                        "to push through with the deployment of a US missile defense system "
                        "strongly opposed by China."
                    ),
                    mattis.paraphrase(
                        "Beijing fears that the missile defense system will undermine its own "
                        "ballistic capabilities, weakening its nuclear deterrent."
                    ),
                ],
            ),
        ),
        bk.paragraph(
            bk.sentence(
                "In South Korea, ",
                mattis.quote(
                    "Any attack on the United States or our allies will be defeated and any use "
                    "of nuclear weapons would be met with a response that would be effective and "
                    "overwhelming",
                    speaker="James Mattis",
                ),
                ".",
                cite=mattis.paraphrase(
                    "Mattis told reporters ahead of a meeting with his South Korean counterpart "
                    "Han Min-koo."
                ),
            ),
            bk.sentence(
                "Analysts say the missile defense dispute makes it harder to convince Beijing, "
                "North Korea's most important diplomatic protector and main source of aid and "
                "trade, to act against its neighbor.",
                cite=mattis.paraphrase(
                    "The dispute makes it harder to convince Beijing—the North’s most important "
                    "diplomatic protector and main source of aid and trade—to act against its "
                    "neighbor, analysts say."
                ),
            ),
            bk.sentence(
                "Japan has also pursued security cooperation with Australia, India and several "
                "Southeast Asian countries, both bilaterally and within the framework of the "
                "alliance.",
                cite=overview.paraphrase(
                    "Japan has pursued security cooperation with others, including Australia, "
                    "India, and several Southeast Asian countries, both bilaterally and within "
                    "the context of the U.S.-Japan alliance."
                ),
            ),
        ),
    )


# -- section 6: the disagreements ------------------------------------------------------------


def _disagreements(corpus: bk.Corpus, figs: Figures) -> bk.Section:
    cnn, mattis, overview = corpus[CNN_2016], corpus[MATTIS], corpus[OVERVIEW]
    return bk.section(
        "Where the sources disagree",
        bk.paragraph(
            bk.analysis(
                "The sources give different numbers for two basic quantities, the U.S. force in "
                "Japan and Japan's payment toward its cost; ",
                bk.ref("troops-chart", page=True),
                " shows the three troop counts, ",
                bk.ref("disputed", page=True),
                " gives each figure with its own citation, and ",
                bk.ref("differing"),
                " lists every value of each quantity with the source that gives it.",
            ),
        ),
        bk.image(
            FIGURES / "troops.png",
            alt=(
                "Bar chart of U.S. troops in Japan by source: 50,000 according to CNN, 47,000 "
                "according to AFP's report on the Mattis visit, and 54,000 according to the "
                "overview of the alliance, on an axis from 0 to 60,000 troops"
            ),
            caption=bk.sentence(
                "U.S. troops in Japan as each source counts them: ",
                figs.troops_cnn,
                " (CNN), some ",
                figs.troops_mattis,
                " (AFP, on the Mattis visit) and about ",
                figs.troops_overview,
                " (overview of the alliance).",
            ),
            id="troops-chart",
        ),
        bk.table(
            "The disputed figures as each source gives them",
            ["Source", "U.S. troops in Japan", "Japan's payment", "Date of the source"],
            [
                "CNN",
                bk.sentence(figs.troops_cnn),
                bk.sentence(figs.cost_cnn, " of basing costs"),
                bk.sentence(
                    "December 5, 2016",
                    cite=cnn.paraphrase("Updated 3:09 AM EST, Mon December 5, 2016"),
                ),
            ],
            [
                "AFP, on the Mattis visit",
                bk.sentence("some ", figs.troops_mattis),
                "",
                bk.analysis("No year given; early 2017 by its account of the visit"),
            ],
            [
                "Overview of the alliance",
                bk.sentence("about ", figs.troops_overview),
                bk.sentence(figs.cost_overview),
                bk.analysis("Undated"),
            ],
            align=["left", "right", "right", "left"],
            id="disputed",
        ),
        bk.differences(id="differing"),
        bk.paragraph(
            bk.analysis(
                "These numbers need not contradict one another, because the sources differ in "
                "date and in what they count."
            ),
            bk.analysis(
                "The CNN figures date from December 2016; the Mattis report names no year but "
                "describes his visit as the first since Trump's inauguration, which places it in "
                "early 2017; the overview is undated, but its reference to Trump's admiration of "
                "Kim Jong-un suggests it was written later in his term.",
                cite=[
                    cnn.paraphrase("Updated 3:09 AM EST, Mon December 5, 2016"),
                    mattis.paraphrase(
                        "after arriving on his first visit since the inauguration of US President "
                        "Donald Trump"
                    ),
                    overview.paraphrase("his admiration of North Korean leader Kim Jong-un"),
                ],
            ),
            bk.analysis(
                "None of the sources says what its troop count includes, and the two cost "
                "figures describe differently defined payments, a share of basing costs in one "
                "case and an annual sum offsetting stationing costs in the other, so they should "
                "not be compared as like for like."
            ),
            bk.analysis(
                "A reader who needs current numbers should take them from the latest U.S. and "
                "Japanese government data rather than from any of these reports."
            ),
        ),
        id="disagree",
    )


# -- the brief -------------------------------------------------------------------------------


def build_brief(corpus: bk.Corpus) -> bk.Brief:
    """The example brief, built from the five seed texts in ``corpus``."""
    figs = _figures(corpus)
    return bk.Brief(
        title="The U.S.–Japan Alliance Through a Change of Administration",
        subtitle=(
            "Reassurance visits, forces, cost sharing and regional pressures, 2015–2017, "
            "from five news and analysis texts"
        ),
        author="briefkit example",
        date="2026-11-21",
        contents=True,
        key_points=_key_points(corpus, figs),
        sections=[
            _visits(corpus),
            _forces(corpus),
            _costs(corpus, figs),
            _tokyo(corpus),
            _region(corpus),
            _disagreements(corpus, figs),
        ],
    )


def _formats() -> list[str]:
    available = set(bk.registry.names())
    return [*BASE_FORMATS, *(f for f in OPTIONAL_FORMATS if f in available)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build the U.S.–Japan alliance example brief, export it and verify it."
    )
    parser.add_argument(
        "--sources",
        type=Path,
        default=DEFAULT_SOURCES,
        help=f"folder with the source texts and catalog.yaml (default: {DEFAULT_SOURCES})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"folder to write the brief to (default: {DEFAULT_OUT})",
    )
    args = parser.parse_args(argv)
    sources: Path = args.sources
    out: Path = args.out

    try:
        corpus = bk.Corpus.from_dir(sources)
        brief = build_brief(corpus)
    except bk.BriefkitError as exc:
        print(f"error: cannot build the brief: {exc}", file=sys.stderr)
        return 1

    out.mkdir(parents=True, exist_ok=True)
    ok = True
    written: list[Path] = []
    for fmt in _formats():
        target = out / f"brief.{fmt}"
        try:
            written.append(bk.export(brief, target, format=fmt))
        except bk.BriefkitError as exc:
            print(f"error: cannot export {target}: {exc}", file=sys.stderr)
            ok = False

    verified = 0
    for path in written:
        try:
            report = bk.verify(path, sources=sources)
        except bk.UnknownFormatError:
            continue  # briefkit cannot read this format back (yet)
        except bk.BriefkitError as exc:
            print(f"error: cannot verify {path}: {exc}", file=sys.stderr)
            ok = False
            continue
        verified += 1
        print(report.summary())
        for failure in report.failures:
            print(
                f"  {failure.status}: sentence {failure.sentence_id} ({failure.kind} "
                f"{failure.source} chars {failure.start}–{failure.end}) {failure.detail}",
                file=sys.stderr,
            )
        for problem in report.problems:
            print(f"  problem: {problem}", file=sys.stderr)
        ok = ok and report.ok
    if not verified:
        print("error: no exported file could be verified", file=sys.stderr)
        ok = False

    print("wrote:")
    for path in written:
        print(f"  {path}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

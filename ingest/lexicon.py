"""Word lists the rule-based extractors share.

Kept in one place so that a reviewer can see (and extend) every cue the rules use.
"""

from __future__ import annotations

import re

# Title or honorific before a name -> (role word used by "the general"-style references, gender)
TITLES: dict[str, tuple[str, str | None]] = {
    "Mr.": ("", "m"), "Mr": ("", "m"), "Ms.": ("", "f"), "Ms": ("", "f"), "Mrs.": ("", "f"), "Dr.": ("doctor", None),
    "Gen.": ("general", None), "General": ("general", None), "Lt. Gen.": ("general", None),
    "Maj. Gen.": ("general", None), "Brig. Gen.": ("general", None), "Adm.": ("admiral", None),
    "Admiral": ("admiral", None), "Vice Adm.": ("admiral", None), "Rear Adm.": ("admiral", None),
    "Col.": ("colonel", None), "Colonel": ("colonel", None), "Lt. Col.": ("colonel", None), "Maj.": ("major", None),
    "Capt.": ("captain", None), "Captain": ("captain", None), "Cmdr.": ("commander", None), "Sgt.": ("sergeant", None),
    "President": ("president", None), "Vice President": ("vice president", None), "Prime Minister": ("prime minister", None),
    "Foreign Minister": ("minister", None), "Defense Minister": ("minister", None), "Defence Minister": ("minister", None),
    "Minister": ("minister", None), "Deputy Minister": ("minister", None), "Secretary": ("secretary", None),
    "Secretary of State": ("secretary", None), "Defense Secretary": ("secretary", None),
    "Ambassador": ("ambassador", None), "Amb.": ("ambassador", None), "Sen.": ("senator", None),
    "Senator": ("senator", None), "Rep.": ("representative", None), "Gov.": ("governor", None),
    "Chairman": ("chairman", None), "Chairwoman": ("chairwoman", None), "Director": ("director", None),
    "Commissioner": ("commissioner", None), "Premier": ("premier", None), "Chancellor": ("chancellor", None),
    "King": ("king", "m"), "Queen": ("queen", "f"), "Judge": ("judge", None), "Mayor": ("mayor", None),
    "Prof.": ("professor", None), "Professor": ("professor", None), "Envoy": ("envoy", None),
    "Spokesman": ("spokesman", "m"), "Spokeswoman": ("spokeswoman", "f"), "Coordinator": ("coordinator", None),
}

# Role nouns that can follow a name in apposition or stand for a person already named ("the spokesman")
ROLE_NOUNS = {
    "spokesman", "spokeswoman", "spokesperson", "general", "admiral", "colonel", "captain", "commander",
    "minister", "secretary", "ambassador", "envoy", "president", "leader", "chairman", "chairwoman", "director",
    "official", "analyst", "researcher", "coordinator", "chief", "head", "senator", "governor", "adviser",
    "advisor", "expert", "investigator", "owner", "operator", "master", "manager", "diplomat",
    "premier", "chancellor", "officer", "deputy", "lawmaker", "representative", "inspector", "monitor",
    "correspondent", "economist", "professor", "founder", "executive", "consultant", "lawyer", "attorney",
}

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|noted|notes|warned|warns|wrote|writes|declared|"
    "declares|insisted|insists|argued|argues|asserted|explained|explains|continued|replied|answered|"
    "remarked|observed|acknowledged|acknowledges|admitted|conceded|cautioned|emphasized|stressed|"
    "recalled|asked|asks|announced|announces|complained|maintained|predicted|concluded|commented|"
    "countered|suggested|wondered|urged|posted|tweeted|testified|claimed|claims|reiterated|confirmed|denied"
)
SPEECH_VERB_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b")

ORG_HEADS = {
    "Council", "Ministry", "Department", "Agency", "Committee", "Congress", "Nations", "Panel", "Command",
    "Navy", "Army", "Forces", "Force", "Guard", "Guards", "Company", "Corporation", "Corp.", "Co.", "Ltd.",
    "Ltd", "LLC", "Inc.", "Group", "Institute", "Office", "Bureau", "Service", "Services", "Commission",
    "Parliament", "Assembly", "Party", "Union", "Bank", "Authority", "Administration", "Organization",
    "Organisation", "Center", "Centre", "Lines", "Shipping", "Logistics", "Trading", "Fund", "Foundation",
    "Court", "Staff", "Network", "Initiative", "Monitor", "Coalition", "Alliance", "Secretariat", "Treasury",
    "Directorate", "Agencies", "Corps", "Registry", "Register", "Cabinet", "Senate", "Tribunal", "Observatory",
    "Watch", "Project", "Holdings", "Enterprises", "Maritime", "Shipyard", "Airlines", "Railways", "Police",
}
ORG_STARTS = {"Ministry", "Department", "Office", "Panel", "Bureau", "Committee", "Council", "Board", "Institute",
              "Center", "Centre", "Agency", "Directorate", "Commission", "Organization", "Organisation"}
KNOWN_ORGS = {
    "Hamas": [], "Hezbollah": [], "NATO": [], "Kremlin": [], "Pentagon": [], "White House": [], "Wagner": [],
    "Houthis": [], "Interpol": [], "European Union": ["EU", "E.U."], "United Nations": ["U.N.", "UN"],
    "Security Council": [], "Lloyd's List": [], "Taliban": [], "Rosatom": [], "Gazprom": [],
    "Joint Chiefs of Staff": [], "Congress": ["U.S. Congress"], "State Department": [],
}
ACRONYM_ORGS = {"NSC", "OFAC", "IAEA", "IMO", "UNSC", "OPCW", "KCNA", "ICC", "FBI", "CIA", "IRGC", "EU", "NATO",
                "OSCE", "WFP", "UNHCR", "UNICEF", "WTO", "G7", "G20", "ASEAN", "UNCTAD", "RUSI", "CSIS", "BIS"}

# Canonical state name -> aliases (name forms besides the canonical one)
STATE_ALIASES: dict[str, list[str]] = {
    "North Korea": ["D.P.R.K.", "DPRK", "Democratic People's Republic of Korea", "Democratic People’s Republic of Korea"],
    "South Korea": ["Republic of Korea", "R.O.K.", "ROK"],
    "Russia": ["Russian Federation"],
    "United States": ["U.S.", "US", "U.S.A.", "USA", "United States of America", "America"],
    "United Kingdom": ["U.K.", "UK", "Britain", "Great Britain"],
    "China": ["People's Republic of China", "P.R.C.", "PRC"],
    "Iran": ["Islamic Republic of Iran"],
    "Syria": ["Syrian Arab Republic"],
    "Myanmar": ["Burma"],
    "Ukraine": [],
    "Taiwan": [],
    "Belarus": [],
    "Palestine": ["Palestinian Territories"],
    "Democratic Republic of the Congo": ["D.R.C.", "DRC"],
    "United Arab Emirates": ["U.A.E.", "UAE", "Emirates"],
    "Turkey": ["Türkiye", "Turkiye"],
    "Czech Republic": ["Czechia"],
    "Ivory Coast": ["Côte d'Ivoire"],
}
# Capitals used as metonyms for their state ("Moscow said") are added from the gazetteer.
EXTRA_METONYMS = {"Kiev": "Ukraine", "Washington": "United States", "Kyiv": "Ukraine"}

LOCATIVE_PREPS = ("in", "at", "to", "from", "near", "into", "via", "through", "across", "off", "outside", "toward",
                  "towards", "inside", "within", "between", "and", "onto", "around", "reached", "left", "entered",
                  "of", "for", "leaving", "reaching")

VESSEL_PREFIX = r"(?:M/V|M\.V\.|MV|M/T|MT|SS|RV|FV|M/S)"
VESSEL_NOUNS = (
    r"(?:tanker|vessel|ship|freighter|cargo ship|container ship|bulk carrier|general cargo ship|boat|barge|"
    r"dhow|trawler|ferry|carrier|coaster|reefer)"
)

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

# Capitalised words that start sentences or headings but never name an actor or a place
STOPWORDS = {
    "The", "A", "An", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I", "In", "On", "At",
    "But", "And", "Or", "If", "As", "After", "Before", "When", "While", "Since", "From", "To", "By", "For", "With",
    "Speaking", "According", "Asked", "Officials", "Q", "However", "Meanwhile", "Also", "Then", "Still", "Yet",
    "There", "Its", "His", "Her", "Their", "Our", "Mr", "Ms", "Some", "Many", "Most", "All", "No", "One", "Two",
}

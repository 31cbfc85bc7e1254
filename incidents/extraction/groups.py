"""The parties of the Sahel's conflicts: armed groups, state forces and other parties, with
the names they go by in English and French (the press's and the coding projects' spellings).

The table is general knowledge of the region's actors, not a list drawn from any evaluation
file. ``incidents.extraction.actors`` finds them in text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "GENERIC_ARMED",
    "GROUPS",
    "NATIONAL",
    "NATIONAL_FORCES",
    "PEOPLES",
    "UNIDENTIFIED",
    "Group",
    "militia_of_people",
]


@dataclass(frozen=True)
class Group:
    """One party: its name, the group it belongs to, its kind and the names it goes by."""

    name: str
    kind: str  # jihadist, armed, state, international, militia, civilians, protesters, ...
    aliases: tuple[str, ...]
    parent: str | None = None


def _g(name: str, kind: str, aliases: str, parent: str | None = None) -> Group:
    return Group(name, kind, tuple(a.strip() for a in aliases.split("|") if a.strip()), parent)


_COUNTRY_FORMS: dict[str, tuple[str, str]] = {
    # country: (English adjective, French adjective stem)
    "Mali": ("Malian", "malien"),
    "Burkina Faso": ("Burkinabe|Burkinabè|Burkinabé|Burkina", "burkinab[eèé]"),
    "Niger": ("Nigerien|Nigerien|Nigérien", "nig[eé]rien"),
    "France": ("French", "fran[cç]ais"),
    "Chad": ("Chadian", "tchadien"),
    "Nigeria": ("Nigerian", "nig[eé]rian"),
    "Mauritania": ("Mauritanian", "mauritanien"),
    "Algeria": ("Algerian", "alg[eé]rien"),
    "Russia": ("Russian", "russe"),
}


_STATE = "Military Forces of "


def country_adjective(country: str | None) -> str | None:
    """Return the English adjective of a country the forms table knows ("Mali" -> "Malian")."""
    forms = _COUNTRY_FORMS.get(country or "")
    return forms[0].split("|")[0] if forms else None


def state_adjective(group: str | None) -> str | None:
    """Return the adjective of the state whose forces ``group`` names ("Military Forces of
    Niger" -> "Nigerien"), else None."""
    if not group or not group.startswith(_STATE):
        return None
    return country_adjective(group.removeprefix(_STATE))


_STATE_NOUNS_EN = (
    "army|armed forces|military|soldiers|soldier|troops|forces|security forces|"
    "defence forces|defense forces|defence and security forces|"
    "defense and security forces|air force|airforce|gendarmes|gendarmerie|"
    "national guard|police|policemen|authorities|government|junta|"
    "helicopter|helicopters|aircraft|aircrafts|warplanes|fighter jets|jets|drone|drones|"
    "patrol|convoy|units|unit|contingent|special forces|commandos|gendarmes|"
    "forces of Operation Barkhane|air strikes|airstrikes"
)


_STATE_NOUNS_FR = (
    "armée|arm[eé]e|forces arm[eé]es|soldats|militaires|troupes|forces|"
    "forces de d[eé]fense et de s[eé]curit[eé]|arm[eé]e de l'air|gendarmes|"
    "gendarmerie|garde nationale|police|policiers|autorit[eé]s|gouvernement"
)


def _state(country: str, extra: str = "") -> Group:
    adj_en, adj_fr = _COUNTRY_FORMS[country]
    aliases = [
        f"Military Forces of {country}",
        f"Government of {country}",
        f"Police Forces of {country}",
    ]
    aliases += [f"{a} {n}" for a in adj_en.split("|") for n in _STATE_NOUNS_EN.split("|")]
    aliases += [f"re:{n} {adj_fr}(?:ne)?s?" for n in _STATE_NOUNS_FR.split("|")]
    aliases += [f"re:{country} (?:army|armed forces|forces|military|troops|soldiers)"]
    # the first of two states' forces: "French and Malian forces", "Malian & French troops"
    aliases += [rf"re:(?:{adj_en})(?=\s*(?:and|&|et)\s+[A-Z][\w]+\s+"
                r"(?:forces|troops|soldiers|armies|army|militar(?:y|ies)|units|jets|aircraft))"]
    # an air strike is an act of the state that flies it: "a French airstrike"
    aliases += [f"{a} {n}" for a in adj_en.split("|")
                for n in ("airstrike", "air strike", "drone strike", "drone strikes", "air raid",
                          "air raids")]
    return Group(
        f"{_STATE}{country}",
        "state",
        tuple(aliases) + tuple(a for a in extra.split("|") if a),
    )


# Peoples of the region whose armed men the coding projects name as an ethnic militia.
_ETHNIC = (
    r"(?:Kounta|Bwaba|Mossi|Lobi|Songhai|Songhay|Bozo|Daoussahak|Dioula|Gourmantch[eé]|Samo|"
    r"Marka|Bella|Djerma|Zarma|Hausa|Haoussa|Toubou|Kanouri|Mahamid|Arab|Tuareg|Touareg|"
    r"Bambara|Senoufo|Gourounsi|Minianka|Dafing|Bobo|Bissa|Moba|Dagara|Dogosse|Yaana|"
    r"Foulse|Fulse|Kurumba|Soninke|Sarakol[eé]|Dawsahak|Idaksahak|Idnane?|Kel\s+Ansar)s?"
)


_FULANI = r"(?:Fulani|Fula|Fulbe|Peulh?s?)"


#: A people of the region named in text ("Fulani", "Dogons", "Bwaba"), as a regular expression.
PEOPLES = rf"(?:{_FULANI}|Dogons?|{_ETHNIC})"


def militia_of_people(name: str) -> str:
    """Return the militia the coding projects name for a people's armed men ("Peul" -> the
    Fulani militia, "Dogon" -> the Dogon militia, "Bwaba" -> an ethnic militia)."""
    if re.fullmatch(_FULANI, name, re.I):
        return "Fulani militia"
    if re.fullmatch(r"Dogons?", name, re.I):
        return "Dogon militia"
    return "Ethnic militia"


# "armed Peul men", "Fulani gunmen", "Bwaba youth wielding", "hommes armés peuls".
_ARMED_OF = (
    r"(?:armed\s+{0}\s+(?:men|youths?|individuals|elements|herders|groups?)|"
    r"{0}\s+(?:gunmen|armed\s+men|fighters|militiamen|militia|assailants|hunters)|"
    r"(?:angry\s+)?{0}\s+youths?(?=\s+(?:wielding|armed|attacked|killed)))"
)


GROUPS: tuple[Group, ...] = (
    _g(
        "JNIM",
        "jihadist",
        "JNIM|GSIM|JNIM-GSIM|Group for the Support of Islam and Muslims|"
        "Group for Support of Islam and Muslims|Group to Support Islam and Muslims|"
        "Support Group for Islam and Muslims|Jama'at Nusrat al-Islam wal-Muslimin|"
        "Jamaat Nusrat al-Islam wal-Muslimin|Jama'a Nusrat ul-Islam wa al-Muslimin|"
        "Jamaat Nusrat al Islam wal Muslimeen|Groupe de soutien à l'islam et aux musulmans|"
        "Groupe de soutien à l'Islam et aux Musulmans|Nusrat al-Islam",
    ),
    *(_g(name, "jihadist", aliases, parent=parent) for name, (parent, aliases) in {
        # the groups that merged into JNIM in 2017, and their units ("katibas")
        "Katiba Macina": ("JNIM", "Katiba Macina|Katiba Massina|Macina Liberation Front|"
                                  "Front de libération du Macina|FLM|Katibat Macina"),
        "Katiba Serma": ("JNIM", "Katiba Serma|Katibat Serma"),
        "Katiba Gourma": ("JNIM", "Katiba Gourma|Katibat Gourma"),
        "Katiba Hanifa": ("JNIM", "Katiba Hanifa|Katibat Hanifa"),
        "Katiba Khalid Ibn Walid": ("Ansar Dine", "Katiba Khalid Ibn Walid|"
                                    "Katibat Khalid Ibn Walid|Ansar Dine Sud|Ansar Dine du Sud"),
        "Ansar Dine": ("JNIM", "Ansar Dine|Ansar Eddine|Ansar al-Din|Ansardine"),
        "Al Mourabitoune": ("JNIM", "Al Mourabitoune|Al-Mourabitoun|Al Mourabitoun|"
                                    "Mourabitoune|al-Murabitun"),
    }.items()),
    _g(
        "AQIM",
        "jihadist",
        "AQIM|AQMI|Al Qaeda in the Islamic Maghreb|"
        "Al-Qaeda in the Islamic Maghreb|Al-Qaida au Maghreb islamique|"
        "Al-Qaïda au Maghreb islamique",
    ),
    # AQIM's forerunner (renamed in 2007)
    _g("GSPC", "jihadist", "GSPC|Salafist Group for Preaching and Combat|"
       "Salafist Group for Call and Combat|Groupe salafiste pour la prédication et le combat",
       parent="AQIM"),
    # Belmokhtar's brigade, merged into Al Mourabitoune in 2013
    _g("Al Mulathameen", "jihadist", "Al Mulathameen|Al-Mulathamun|Al Moulathamine|"
       "Those Who Sign in Blood|Those Who Signed in Blood|Signatories in Blood|"
       "Les Signataires par le sang", parent="Al Mourabitoune"),
    _g(
        "Ansaroul Islam",
        "jihadist",
        "Ansaroul Islam|Ansarul Islam|Ansar ul Islam|Ansarul Islam lil Ichad wal Jihad",
        parent="JNIM",
    ),
    _g(
        "MUJAO",
        "jihadist",
        "MUJAO|MUJWA|Movement for Unity and Jihad in West Africa|"
        "Mouvement pour l'unicité et le jihad en Afrique de l'Ouest|"
        "Mouvement pour l'unicité et le djihad en Afrique de l'Ouest",
    ),
    _g(
        "Islamic State Sahel",
        "jihadist",
        "ISGS|EIGS|ISSP|IS Sahel|IS-Sahel|ISWAP-Sahel|Islamic State Sahel|"
        "Islamic State Sahel Province|Islamic State in the Greater Sahara|"
        "Islamic State (Greater Sahara)|Islamic State Greater Sahara|"
        "Islamic State of the Greater Sahara|Islamic State in Greater Sahara|"
        "Etat islamique au Grand Sahara|État islamique au Grand Sahara|"
        "Etat islamique dans le Grand Sahara|État islamique dans le Grand Sahara|"
        "Etat islamique au Sahel|État islamique au Sahel|Province du Sahel de l'État islamique|"
        "Islamic State (Sahel)|Islamic State (West Africa) - Greater Sahara Faction|"
        "re:(?:the )?Islamic State(?!\\s*\\(?\\s*West Africa)|"
        "re:(?:l')?[EÉ]tat islamique(?! en Afrique de l'Ouest)",
        parent="Islamic State",
    ),
    _g(
        "ISWAP",
        "jihadist",
        "ISWAP|Islamic State West Africa Province|Islamic State (West Africa) - Lake Chad Faction|"
        "Islamic State West Africa|Islamic State (West Africa)|"
        "État islamique en Afrique de l'Ouest|Etat islamique en Afrique de l'Ouest",
        parent="Islamic State",
    ),
    # The organisation as a whole: its Sahel and West Africa provinces belong to it (the
    # Sahel one was formally a part of the West Africa province in 2019-2022, and coders
    # name it either way). In running text a bare "Islamic State" is read as the Sahel
    # province above; as an actor's name it is the organisation.
    _g("Islamic State", "jihadist", "Daesh|Daech|ISIS|ISIL"),
    _g(
        "Boko Haram",
        "jihadist",
        "Boko Haram|JAS|Jama'atu Ahlis Sunna Lidda'awati wal-Jihad|"
        "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad|Shekau faction",
    ),
    _g(
        "MNLA",
        "armed",
        "MNLA|National Movement for the Liberation of Azawad|Tuareg rebels|Tuareg separatists|"
        "rebelles touaregs|séparatistes touaregs|"
        "Mouvement national de libération de l'Azawad|Mouvement national pour la "
        "libération de l'Azawad",
        parent="CMA",
    ),
    _g(
        "HCUA",
        "armed",
        "HCUA|High Council for the Unity of Azawad|Haut conseil pour l'unité de l'Azawad",
        parent="CMA",
    ),
    _g(
        "CMA",
        "armed",
        "CMA|Coordination of Movements of the Azawad|"
        "Coordination of Azawad Movements|Coordination des mouvements de l'Azawad|CSP-PSD|"
        "CSP|Permanent Strategic Framework|Cadre stratégique permanent",
    ),
    _g(
        "GATIA",
        "armed",
        "GATIA|Imghad Tuareg and Allies Self-Defense Group|"
        "Groupe d'autodéfense touareg Imghad et alliés",
        parent="Platform",
    ),
    # Earlier and smaller movements of the north: the 2006 and 2007-2009 Tuareg rebellions,
    # the Arab and Songhai militias of 2012, and the splinters of the 2013-2016 talks
    _g("ADC", "armed", "ADC|Democratic Alliance of 23 May for Change|"
       "Democratic Alliance of 23rd May for Change|Democratic Alliance for Change|"
       "May 23, 2006 Democratic Alliance for Change|"
       "Alliance démocratique du 23 mai pour le changement"),
    _g("ATNMC", "armed", "ATNMC|North Mali Tuareg Alliance for Change|"
       "Tuareg Alliance of Northern Mali for Change|Alliance Touareg Nord Mali pour le changement|"
       "Alliance touarègue du Nord Mali pour le changement"),
    _g("FNLA", "armed", "FNLA|National Liberation Front of Azawad|"
       "National Front for the Liberation of Azawad|Front national de libération de l'Azawad"),
    _g("MIA", "armed", "Islamic Movement of Azawad|Islamic Movement for Azawad|"
       "Mouvement islamique de l'Azawad"),
    _g("CPA", "armed", "CPA|Coalition of the People of Azawad|Azawad People's Coalition|"
       "Coalition du peuple pour l'Azawad"),
    _g("CJA", "armed", "CJA|Congress for Justice in Azawad|Congrès pour la justice dans l'Azawad"),
    _g("GMA", "armed", "GMA|Mourabitounes Group of Azawad|Groupe des Mourabitounes de l'Azawad"),
    _g("Ganda Koy", "militia", "Ganda Koy|Ganda Koi"),
    _g("Ganda Izo", "militia", "Ganda Izo|Ganda Iso"),
    _g("MSA", "armed", "MSA|Movement for Azawad Salvation|Mouvement pour le salut de l'Azawad"),
    _g("Platform", "armed", "Platform|Plateforme|Platform of the Movements of 14 June 2014"),
    _g("MAA", "armed", "MAA|Arab Movement of Azawad|Mouvement arabe de l'Azawad"),
    # the best-known Dogon militia: where a report names it, it is one of the Dogon militias
    _g(
        "Dan Na Ambassagou",
        "militia",
        "Dan Na Ambassagou|Dan Nan Ambassagou|Dana Ambassagou|Dan na Amassagou|"
        "Dana Amassagou|Da Na Ambassagou|Da Na Amassagou",
        parent="Dogon militia",
    ),
    _g(
        "Dozo militia",
        "militia",
        "Dozo|Dozos|Dozo militia|Dozo hunters|"
        "Dozo Communal Militia|chasseurs dozos|chasseurs traditionnels dozo",
    ),
    _g("Koglweogo", "militia", "Koglweogo|Koglweogo Militia|Kogl-weogo"),
    _g(
        "VDP",
        "militia",
        "VDP|VDPs|Volunteers for the Defense of the Homeland|"
        "Volunteer for Defense of Homeland|Volunteers for the Defence of the Homeland|"
        "Volontaires pour la défense de la patrie|Homeland Defense Volunteers",
    ),
    # Regular expressions below hold "|": the groups are built without _g's "|" split.
    Group(
        "Fulani militia",
        "militia",
        ("Fulani militia", "Fulani militiamen", "Fulani ethnic militia", "Fula militia",
         "Fula ethnic militia", "Peul militia", "milice peule", "miliciens peuls",
         "re:" + _ARMED_OF.format(_FULANI)),
        parent="Ethnic militia",
    ),
    Group(
        "Dogon militia",
        "militia",
        ("Dogon militia", "Dogon militiamen", "Dogon ethnic militia", "milice dogon",
         "miliciens dogon", "re:" + _ARMED_OF.format(r"Dogons?")),
        parent="Ethnic militia",
    ),
    # The coding projects name a community's armed men after it ("Kounta Ethnic Militia",
    # "<village> Communal Militia"); reports write "armed Bwaba youths", "Arab gunmen".
    Group(
        "Ethnic militia",
        "militia",
        (r"re:[A-Z][\w'’-]+[\s-]+ethnic[\s-]+militia", "ethnic militia", "milice communautaire",
         "re:" + _ARMED_OF.format(_ETHNIC),
         rf"re:(?:the\s+)?{_ETHNIC}\s+(?:ethnic\s+)?(?:group|community)"
         r"(?=\s+(?:attacked|clashed|killed|raided|and\s+(?:the\s+)?[A-Z]))"),
    ),
    Group(
        "Communal militia",
        "militia",
        (r"re:[A-Z][\w'’-]+[\s-]+communal[\s-]+militia", "communal militia", "local militia",
         "self-defense group", "self-defence group", "self-defense militia",
         "self-defence militia", "milice d'autodéfense", "groupe d'autodéfense"),
    ),
    _g(
        "Wagner Group",
        "foreign",
        "Wagner|Wagner Group|Wagner group|Africa Corps|"
        "Russian mercenaries|mercenaires russes|Russian instructors|"
        "Russian paramilitaries|groupe Wagner",
    ),
    _g(
        "MINUSMA",
        "international",
        "MINUSMA|United Nations Multidimensional Integrated "
        "Stabilization Mission in Mali|UN peacekeepers|UN peacekeeping|Casques bleus|"
        "peacekeepers|blue helmets",
    ),
    _g(
        "Operation Barkhane",
        "international",
        "Barkhane|Operation Barkhane|Serval|"
        "Operation Serval|Takuba|Task Force Takuba|opération Barkhane",
        parent="Military Forces of France",
    ),
    _g(
        "G5 Sahel Joint Force",
        "international",
        "G5 Sahel|FC-G5S|G5 Sahel Joint Force|Force conjointe du G5 Sahel",
    ),
    _g("AFISMA", "international", "AFISMA|MISMA|African-led International Support Mission "
       "to Mali|International Support Mission for Mali|Mission internationale de soutien au "
       "Mali"),
    _g("MNJTF", "international", "MNJTF|Multinational Joint Task Force|Force multinationale mixte"),
    *[
        _state(c, extra)
        for c, extra in (
            ("Mali", "FAMa|FAMAs|FAMA|Malian Armed Forces"),
            ("Burkina Faso", "FDS Burkina"),
            ("Niger", "FDS Niger|Operation Almahaou"),
            ("France", ""),
            ("Chad", ""),
            ("Nigeria", ""),
            ("Mauritania", ""),
            ("Algeria", ""),
            ("Russia", "Russian forces"),
        )
    ],
    _g(
        "Protesters",
        "protesters",
        "protesters|demonstrators|manifestants|protestors|marchers|sit-in participants",
    ),
    _g("Rioters", "rioters", "rioters|émeutiers|angry youths|angry residents|mob|jeunes en colère"),
    _g(
        "Civilians",
        "civilians",
        "civilians|civilian|villagers|residents|inhabitants|"
        "farmers|herders|traders|merchants|passengers|women|children|worshippers|"
        "civils|villageois|habitants|populations|cultivateurs|éleveurs|commerçants|passagers",
    ),
)


#: Stand-in for the forces of the report's own country ("the soldiers", "FDS", "gendarmes").
NATIONAL_FORCES = "national forces"


NATIONAL = [
    "soldiers",
    "troops",
    "the army",
    "army",
    "security forces",
    "defense and security forces",
    "defence and security forces",
    "defense forces",
    "defence forces",
    "FDS",
    "gendarmes",
    "gendarmerie",
    "police",
    "police officers",
    "policemen",
    "police officer",
    "soldier",
    "military",
    "special forces",
    "armed forces",
    "national guard",
    "air force",
    "airforce",
    "armée de l'air",
    "militaires",
    "soldats",
    "forces de défense et de sécurité",
    "forces de sécurité",
    "forces armées",
    "armée",
    "gendarmes",
    "policiers",
    "garde nationale",
    "policeman",
    "gendarme",
    "government forces",
    "government troops",
    "government soldiers",
    # the government or its officials as the author of an administrative act or an arrest
    # ("the governor of the Est Region extended the curfew", "authorities arrested two men";
    # "according to authorities" names no act)
    r"re:(?:the\s+)?(?:(?:central|national|transitional|regional|local)\s+)?"
    r"(?:government|governor|high[\s-]+commissioner|prefect|authorities|gouvernement|"
    r"gouverneur|haut[\s-]+commissaire|pr[ée]fet|autorit[ée]s)"
    r"(?=(?:\s+(?:of|de|du)\s+(?:the\s+|la\s+|l['’])?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}"
    r"(?:\s+(?:region|province|r[ée]gion))?)?\s+(?:has\s+|have\s+|had\s+|also\s+|then\s+|officially\s+|a\s+|ont\s+)?"
    r"(?:declared|decreed|extended|imposed|instituted|introduced|ordered|decided|suspended|"
    r"banned|prohibited|closed|lifted|dissolved|established|renewed|issued|arrested|"
    r"detained|expelled|dismissed|requisitioned|d[ée]cr[ée]t[ée]|instaur[ée]|prorog[ée]|"
    r"interdit|suspendu|ordonn[ée]|arr[êe]t[ée])\b)",
]


#: The name given to an armed party the text does not name.
UNIDENTIFIED = "Unidentified armed group"


GENERIC_ARMED = [
    "militants",
    "jihadists",
    "jihadist fighters",
    "jihadist",
    "djihadistes",
    "djihadiste",
    "jihadistes",
    "islamists",
    "islamist militants",
    "islamistes",
    "terrorists",
    "terroristes",
    "terrorist",
    "gunmen",
    "armed men",
    "armed individuals",
    "armed assailants",
    "unidentified gunmen",
    "unknown gunmen",
    "unidentified armed men",
    "unidentified armed individuals",
    "unidentified assailants",
    "assailants",
    "attackers",
    "insurgents",
    "fighters",
    "extremists",
    "hommes armés",
    "individus armés",
    "hommes armés non identifiés",
    "individus armés non identifiés",
    "assaillants",
    "groupes armés terroristes",
    "GAT",
    "bandits",
    "armed bandits",
    "commando",
    "kidnappers",
    "ravisseurs",
    "suspected militants",
    "presumed militants",
    "présumés terroristes",
    "hommes armés inconnus",
    # a party the report cannot name: "an unknown individual stabbed a soldier", "an
    # unidentified armed group attacked"
    "unknown individual",
    "unknown individuals",
    "unidentified individual",
    "unidentified individuals",
    "unknown men",
    "unidentified men",
    "unknown assailants",
    "unknown attackers",
    "unidentified attackers",
    "unidentified armed group",
    "unknown armed group",
    "armed group",
    "armed groups",
    "unknown group",
    "unidentified group",
    "gunman",
    "individus non identifiés",
    "inconnus armés",
]

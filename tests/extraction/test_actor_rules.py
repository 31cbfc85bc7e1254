"""Who acts: one fixture sentence (written for the test) per actor rule of the report intake."""

from __future__ import annotations

import datetime as dt

import pytest

from incidents.extraction import Report, extract
from incidents.extraction.actors import canonical_group, find_actors, parents
from incidents.geocoding import Geocoder


@pytest.fixture(scope="module")
def geocoder():
    return Geocoder()


def _actor(text: str, geocoder, country: str = "ML") -> str | None:
    drafts = extract(Report(text, dt.date(2024, 5, 5), country=country), geocoder)
    assert drafts, text
    return drafts[0].actor


@pytest.mark.parametrize(("text", "actor"), [
    # two names that make one phrase share the role its words give
    ("On 3 May 2024, ten AQIM fighters were killed by French forces near Boni.",
     "Military Forces of France"),
    ("On 3 May 2024, MINUSMA peacekeepers were subjected to a complex attack near Boni.",
     "Unidentified armed group"),
    ("On 3 May 2024, seven soldiers and a civilian driver were killed by the explosion of an "
     "IED near Boni.", "Unidentified armed group"),
    # but a name before "militants" keeps its place's role when no plain passive follows
    ("On 3 May 2024, suspected JNIM militants wounded and abducted a man in Boni.", "JNIM"),
    ("On 3 May 2024, presumed JNIM militants detonated an IED against an army vehicle near "
     "Boni.", "JNIM"),
    ("On 3 May 2024, two suspected JNIM militants were killed while planting an IED near "
     "Boni.", "JNIM"),
    # the party after "escorted by" / "repelled by" did not carry out the attack
    ("On 3 May 2024, a JNIM convoy escorted by Malian soldiers was attacked near Boni.",
     "Unidentified armed group"),
    # the first of two states' forces, and a state's air strike
    ("On 3 May 2024, French and Malian forces killed ten militants near Boni.",
     "Military Forces of France"),
    ("On 3 May 2024, a presumed French airstrike killed a militant commander near Boni.",
     "Military Forces of France"),
    # the bracketed name is the more precise one
    ("On 3 May 2024, Dogon militiamen (Dana Amassagou) attacked the Fulani village of Boni.",
     "Dan Na Ambassagou"),
    # unnamed fighters, and the group the report takes them for
    ("On 3 May 2024, an unknown individual stabbed a soldier in Boni.",
     "Unidentified armed group"),
    ("On 3 May 2024, unknown gunmen and Malian soldiers exchanged gunfire in Boni.",
     "Unidentified armed group"),
    ("On 3 May 2024, unknown gunmen (believed to be Katiba Macina militants) opened fire on "
     "villagers near Boni.", "Katiba Macina"),
    ("On 3 May 2024, gunmen linked with the Macina Liberation Front killed an imam in Boni.",
     "Katiba Macina"),
    # a unit of the organisation that claimed the attack, named as acting
    ("On 3 May 2024, presumed ISGS militants ambushed an army convoy near Boni. ISWAP claimed "
     "responsibility.", "Islamic State Sahel"),
])
def test_who_acts(geocoder, text, actor):
    assert _actor(text, geocoder) == actor


@pytest.mark.parametrize(("text", "actor"), [
    ("On 3 May 2024, members of the Gourmantche and Fulani communities clashed in Kaya.",
     "Ethnic militia"),
    ("On 3 May 2024, Fulani herders and Mossi farmers clashed near Kaya, leaving two wounded.",
     "Fulani militia"),
    ("On 3 May 2024, three people were killed in clashes between Dogon and Fulani near Kaya.",
     "Dogon militia"),
    ("On 3 May 2024, two people were killed in a land dispute between villagers of Sakoula "
     "and Zagtouli near Kaya.", "Communal militia"),
    ("On 3 May 2024, Fulani attacked and burned huts near Kaya.", "Fulani militia"),
])
def test_fights_between_communities(geocoder, text, actor):
    assert _actor(text, geocoder, "BF") == actor


@pytest.mark.parametrize(("text", "actor"), [
    ("On 3 May 2024, the local population in Kaya ransacked and burned the party office.",
     "Rioters"),
    ("On 3 May 2024, youths in Kaya ransacked the police station, the police dispersed them "
     "with tear gas.", "Rioters"),
    ("On 3 May 2024, a mob lynched a suspected thief in Kaya.", "Rioters"),
    ("On 3 May 2024, political opponents attacked and injured the mayor of Kaya, setting his "
     "home on fire.", "Rioters"),
    # a crowd acted upon is no rioter; an armed party that vandalises is no crowd
    ("On 3 May 2024, villagers were attacked by gunmen who burned houses in Kaya.",
     "Unidentified armed group"),
    ("On 3 May 2024, presumed JNIM militants vandalized the residence of the prefect in Kaya.",
     "JNIM"),
])
def test_crowds(geocoder, text, actor):
    assert _actor(text, geocoder, "BF") == actor


@pytest.mark.parametrize(("name", "group"), [
    ("ATNMC: North Mali Tuareg Alliance for Change", "ATNMC"),
    ("ADC: Democratic Alliance of 23rd May for Change", "ADC"),
    ("FNLA: National Liberation Front of Azawad", "FNLA"),
    ("GMA: Mourabitounes Group of Azawad", "GMA"),
    ("CJA: Congress for Justice in Azawad", "CJA"),
    ("Ganda Izo", "Ganda Izo"),
    ("GSPC: Salafist Group for Call and Combat", "GSPC"),
    ("Those Who Signed in Blood", "Al Mulathameen"),
    ("MISMA: International Support Mission for Mali (2012-)", "AFISMA"),
    ("Dana Amassagou", "Dan Na Ambassagou"),
])
def test_more_groups(name, group):
    assert canonical_group(name) == group


def test_families_of_the_new_groups():
    assert parents("Dan Na Ambassagou")[:2] == ["Dan Na Ambassagou", "Dogon militia"]
    assert "JNIM" in parents("Al Mulathameen") and "AQIM" in parents("GSPC")


def test_an_ambiguous_acronym_is_not_a_group():
    # the Islamic Movement of Azawad goes by its name only: "MIA" is also "missing in action"
    assert canonical_group("Islamic Movement of Azawad") == "MIA"
    assert all(m.group != "MIA" for m in find_actors("Two soldiers were listed as MIA."))


@pytest.mark.parametrize(("text", "actor"), [
    # a shortened passive ("two soldiers killed and one injured in an ambush") is acted upon,
    # an active verb with its object acts
    ("On 3 May 2024, two soldiers killed and one injured in an ambush near Boni.",
     "Unidentified armed group"),
    ("On 3 May 2024, three peacekeepers killed and five others wounded in an IED attack near "
     "Boni.", "Unidentified armed group"),
    ("On 3 May 2024, suspected Dozo militiamen abducted, tortured and executed two herders in Boni.",
     "Dozo militia"),
    ("On 3 May 2024, the Malian army arrested and executed at least six men near Boni.",
     "Military Forces of Mali"),
    ("On 3 May 2024, presumed Malian soldiers presumably killed and buried a herder near Boni.",
     "Military Forces of Mali"),
    ("On 3 May 2024, a Malian army patrol reportedly opened fire on gold miners near Boni.",
     "Military Forces of Mali"),
    # a party that went missing is acted upon
    ("On 3 May 2024, a gendarme and a nurse went missing, reportedly abducted after an attack "
     "by Ansar Dine on Boni.", "Ansar Dine"),
])
def test_shortened_passive_and_active_object(geocoder, text, actor):
    assert _actor(text, geocoder) == actor


@pytest.mark.parametrize(("text", "country", "actor"), [
    # the government and its officials as authors of administrative acts and arrests
    ("On 3 May 2024, the governor of the Nord Region extended the night curfew in Ouahigouya "
     "by a month.", "BF", "Military Forces of Burkina Faso"),
    ("On 3 May 2024, the governor of the Est Region ordered the closure of gold mining sites "
     "around Fada N'Gourma.", "BF", "Military Forces of Burkina Faso"),
    ("On 3 May 2024, the high commissioner declared a curfew in Djibo.", "BF",
     "Military Forces of Burkina Faso"),
    ("On 3 May 2024, the authorities arrested two journalists in Gao.", "ML",
     "Military Forces of Mali"),
    # "according to authorities" names no act of theirs
    ("On 3 May 2024, according to authorities, gunmen attacked a gold mining site near Djibo.",
     "BF", "Unidentified armed group"),
    # a heading names the kind of event: the party after it acts
    ("Arrests: On 3 May 2024, special forces arrested a jihadist commander in Boni.", "ML",
     "Military Forces of Mali"),
    # state agents by the names the press gives them
    ("On 3 May 2024, a policeman shot and wounded a trader in Koudougou.", "BF",
     "Military Forces of Burkina Faso"),
    ("On 3 May 2024, Burkina forces shot dead three herders near Djibo.", "BF",
     "Military Forces of Burkina Faso"),
    ("On 3 May 2024, government forces raided a house in Djibo, killing a youth.", "BF",
     "Military Forces of Burkina Faso"),
])
def test_state_acts(geocoder, text, country, actor):
    assert _actor(text, geocoder, country) == actor


def test_french_est_is_not_the_est_region():
    # "Est" (the region) is not the French "is" of a passive
    from incidents.extraction.roles import _PATIENT_AFTER
    assert _PATIENT_AFTER.match(" of the Est Region extended the curfew") is None
    assert _PATIENT_AFTER.match(" est attaqué à Djibo") is not None


@pytest.mark.parametrize(("text", "actor"), [
    # violence the crowd protests, the police's, or one the text denies does not make rioters
    ("On 3 May 2024, nurses staged a sit-in in Kaya in solidarity with a colleague assaulted "
     "by a patient.", "Protesters"),
    ("On 3 May 2024, artists demonstrated in Kaya against the attempted lynching of a singer.",
     "Protesters"),
    ("On 3 May 2024, traders protested in Kaya over market fees; gendarmes blocked them from "
     "reaching the town hall.", "Protesters"),
    ("On 3 May 2024, hundreds demonstrated in Kaya for the release of a detained chief. No "
     "clashes were reported.", "Protesters"),
    ("On 3 May 2024, the police dispersed a march in Kaya with tear gas and gunshots fired in "
     "the air.", "Protesters"),
    # but the crowd's own violence does, in a sentence that names no place too
    ("On 3 May 2024, students protested in Kaya over exam dates. They set the police station "
     "on fire.", "Rioters"),
    ("On 3 May 2024, soldiers staged a protest at the camp in Kaya and fired shots into the air "
     "to demand their bonuses.", "Rioters"),
    ("On 3 May 2024, demonstrators in Kaya protested and ransacked the town hall.", "Rioters"),
    ("On 3 May 2024, protests and arson attacks on public buildings were reported in Kaya.",
     "Rioters"),
])
def test_whose_violence_makes_rioters(geocoder, text, actor):
    assert _actor(text, geocoder, "BF") == actor


@pytest.mark.parametrize(("text", "actor"), [
    # unarmed people fighting each other, or a beating with no author, are rioters
    ("On 3 May 2024, clashes between students of two high schools in Kaya left three wounded.",
     "Rioters"),
    ("On 3 May 2024, opposing political groups clashed in Kaya after the municipal vote.",
     "Rioters"),
    ("On 3 May 2024, a man accused of theft was beaten to death in Kaya.", "Rioters"),
    ("On 3 May 2024, a number of residents of Kaya caught a thief and beat him.", "Rioters"),
    # armed parties are not: two armed groups, or a beating by a named party
    ("On 3 May 2024, two armed groups clashed near Kaya.", "Unidentified armed group"),
    ("On 3 May 2024, a herder was beaten to death by Koglweogo members in Kaya.", "Koglweogo"),
    # a crowd named after an armed group is that group's
    ("On 3 May 2024, MNLA youths threw stones at a MINUSMA convoy in Kidal.", "MNLA"),
])
def test_unarmed_fights(geocoder, text, actor):
    assert _actor(text, geocoder, "BF" if "Kaya" in text else "ML") == actor


@pytest.mark.parametrize(("text", "actor"), [
    # a party's post, base or station cannot act
    ("On 3 May 2024, two MINUSMA checkpoints attacked near Kidal, the assailants fled.",
     "Unidentified armed group"),
    ("On 3 May 2024, a police station in Boni attacked by heavily armed gunmen.",
     "Unidentified armed group"),
    # "&" joins a second toll of a shortened passive
    ("On 3 May 2024, four Malian soldiers killed & five wounded in an ambush near Boni.",
     "Unidentified armed group"),
])
def test_things_of_a_party(geocoder, text, actor):
    assert _actor(text, geocoder) == actor


@pytest.mark.parametrize(("text", "actor"), [
    # the report's gloss of a group in brackets names it ("AQIM (JNIM)", "hunters (Dozos)")
    ("On 3 May 2024, presumed AQIM (JNIM) militants shelled the camp in Boni.", "JNIM"),
    ("On 3 May 2024, Bambara hunters (Dozos) attacked the Fulani hamlet of Boni.", "Dozo militia"),
    ("On 3 May 2024, Fulani gunmen [believed to be Katiba Macina] attacked the village of Boni.",
     "Katiba Macina"),
    # but a precise name keeps its place before its own organisation in brackets
    ("On 3 May 2024, Katiba Macina (JNIM) militants attacked the village of Boni.",
     "Katiba Macina"),
    # militiamen "from" a village act
    ("On 3 May 2024, Dogon militiamen from Sangha attacked and burned the village of Boni.",
     "Dogon militia"),
    # forces that find and make safe a device carry out the event, not its presumed planter
    ("On 3 May 2024, MINUSMA forces discovered and destroyed an IED near Boni. The device was "
     "likely planted by JNIM militants.", "MINUSMA"),
    ("On 3 May 2024, the Malian army dismantled an IED presumably planted by Katiba Macina "
     "near Boni.", "Military Forces of Mali"),
    # a device that destroyed a vehicle is no disposal
    ("On 3 May 2024, a vehicle of the gendarmerie destroyed by an IED near Boni. JNIM claimed "
     "the attack.", "JNIM"),
])
def test_glosses_and_disposal(geocoder, text, actor):
    assert _actor(text, geocoder) == actor


def test_protestant_is_no_protest(geocoder):
    # "Protestant" names a church, not a protest: the attackers stay the actor
    text = ("On 3 May 2024, suspected JNIM militants attacked the village of Kaya and burned "
            "the Protestant church.")
    assert _actor(text, geocoder, "BF") == "JNIM"


@pytest.mark.parametrize(("text", "actor"), [
    # more peoples of the region, and the ways reports name a community that attacks
    ("On 3 May 2024, Foulse gunmen shot two shepherds near Kaya.", "Ethnic militia"),
    ("On 3 May 2024, Bissa and Mossi youths fought over a field near Kaya.", "Ethnic militia"),
    ("On 3 May 2024, members of the Soninke community armed with clubs raided a hamlet near "
     "Kaya.", "Ethnic militia"),
    ("On 3 May 2024, members of the Moba and Dagara communities raided a market near Kaya.",
     "Ethnic militia"),
    # a fight between communities the report does not name
    ("On 3 May 2024, intercommunal fighting left four wounded in Kaya.", "Communal militia"),
    ("On 3 May 2024, a dispute between herders and farmers turned deadly in Kaya.",
     "Communal militia"),
    ("On 3 May 2024, ethnic clashes erupted in Kaya, leaving one dead.", "Ethnic militia"),
    # but gunmen named in the sentence are the actor, whatever the background
    ("On 3 May 2024, gunmen shot a shepherd in Kaya during a spell of intercommunal fighting.",
     "Unidentified armed group"),
])
def test_communities(geocoder, text, actor):
    assert _actor(text, geocoder, "BF") == actor


@pytest.mark.parametrize("text", [
    # a crowd that takes to the street or gathers for a cause protests
    "On 3 May 2024, hundreds of residents went into the street in Kaya to back the new mayor.",
    "On 3 May 2024, a crowd took the street in Kaya to honour a late singer.",
    "On 3 May 2024, bakery staff gathered outside the town hall of Kaya to demand unpaid wages.",
    "On 3 May 2024, shopkeepers of Kaya decided to march to the prefecture.",
    "On 3 May 2024, nurses in Kaya began a 48 hour strike.",
])
def test_gatherings_for_a_cause(geocoder, text):
    assert _actor(text, geocoder, "BF") == "Protesters"


@pytest.mark.parametrize(("text", "actor"), [
    # a party the report puts in quotes keeps the role its words give
    ('On 3 May 2024, four "bandits" killed by Malian soldiers near Boni.',
     "Military Forces of Mali"),
    # the air force is the state's
    ("On 3 May 2024, the air force bombed a militant camp near Boni.", "Military Forces of Mali"),
])
def test_quotes_and_the_air_force(geocoder, text, actor):
    assert _actor(text, geocoder) == actor


@pytest.mark.parametrize(("text", "actor"), [
    # who the report says the authors were
    ("On 3 May 2024, three herders were shot near Boni. The attackers were reported to be "
     "GATIA fighters.", "GATIA"),
    ("On 3 May 2024, unknown gunmen seized a nurse in Boni. The kidnappers have been "
     "identified as Ansar Dine members.", "Ansar Dine"),
    ("On 3 May 2024, a bus hit a mine near Boni. MUJAO was suspected of laying it.", "MUJAO"),
])
def test_authors_the_report_names_later(geocoder, text, actor):
    assert _actor(text, geocoder) == actor


@pytest.mark.parametrize(("text", "actor"), [
    # a unit named only as speaking is a claimant: the group that claimed is the actor
    ("On 3 May 2024, gunmen attacked the military camp of Kaya. JNIM claimed responsibility "
     "for the assault. JNIM's Katiba Macina claimed in a statement that they had seized "
     "control of the military camp of Kaya.", "JNIM"),
    # a unit told acting is the more precise author
    ("On 3 May 2024, Katiba Macina militants ambushed a patrol near Kaya. JNIM claimed "
     "responsibility for the attack.", "Katiba Macina"),
])
def test_a_unit_that_only_speaks_is_not_the_actor(geocoder, text, actor):
    assert _actor(text, geocoder, "BF") == actor

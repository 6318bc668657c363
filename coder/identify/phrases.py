"""Phrase rules for local names the word-by-word rules leak: a business, office, school, church or
street named after its head noun ("lavazhin "Ylli"", "Komisariatin e Policisë nr. 5", "лицее № 4",
"храм Святого Николая", "ul. Bosanska 27"), names and places typed in lowercase ("fieri", "димы"),
Cyrillic initials, day ranges and abbreviated months.

Each family is one compiled regular expression built from word lists, run only when a cheap test
(a quote, "№", a digit, a head word's stem found by `in`) says it can match. `find(text, lang)`
returns hits `(start, end, type, score, reason)` as `patterns.find` does; `detect` unions them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain

from coder.identify import gazetteer as gz
from coder.identify import vocab
from coder.identify.pipeline import LOWER, UPPER
from coder.identify.textfold import fold

Hit = tuple[int, int, str, float, str]

UP = UPPER
LO = LOWER + "ђ-џ"  # and Serbian Cyrillic
OPEN_Q = "\"“„«‚'‘"
CLOSE_Q = "\"”“»’'‘"
SP = r"[ \u00a0]"

# --- word lists (folded when compiled; a trailing * is a stem that takes any case ending) -------

# shops and workplaces: a quoted or capitalised name after one of them is a business
BUSINESS = """
tienda* bar bares café cafe cafetería* cafeteria* restaurante* restaurant* panadería* panaderia* farmacia*
peluquería* peluqueria* estética* estetica* salón salon* gimnasio* gym taller* lavadero* autolavado* carwash
supermercado* minisúper minisuper abarrotes miscelánea* miscelanea* papelería* papeleria* hotel* hostal* motel*
discoteca* antro* club* boutique* zapatería* zapateria* pollería* polleria* cevichería* cebichería* chifa*
pizzería* pizzeria* heladería* heladeria* tortillería* ferretería* ferreteria* llantera* vulcanizadora* cantina*
billar* cibercafé* cibercafe* cabina* fonda* lonchería* taquería* taqueria* licorería* distribuidora* empresa*
fábrica* fabrica* maquila* almacén almacen almacenes droguería* drogueria* minimercado* market mercado
shop* store* bakery bakeries pharmacy barbershop* garage* supermarket* hotel kiosk* pub pubs diner* workshop*
factory nightclub* carwash*
dyqan* kafe kafene* kafenese kafenenë restorant* furr* farmaci* sallon* palestr* lavazh* market* butik*
kiosk* pastiçeri* pasticeri* piceri* autoservis* servis* fabrik* kompani* firm* byrektore* floktore* berberi*
klub* hotel* bar* baret
magazin* cafenea* cafenel* brutări* brutari* farmacia* frizeri* spălători* spalatori* service* atelier*
chioșc* chiosc* patiseri* vulcanizare* fabrica* companie* compania* firma*
prodavnic* trgovin* radnj* kafić* kafic* kafan* restoran* pekar* apotek* ljekarn* frizersk* teretan*
autoperionic* perionic* vulkanizer* trafik* slastičarn* slasticarn* preduzeć* preduzec* poduzeć* poduzec*
pizzeri* butik* salon* hotel* motel* market* kiosk* firm*
магазин* бар бара баре кафе кофейн* ресторан* пекарн* аптек* салон* парикмахерск* спортзал* фитнес*
тренажерн* автомойк* мойк* шиномонтаж* автосервис* сервис* рынок рынке рынка супермаркет* маркет*
гостиниц* отел* клуб* бутик* киоск* ларек ларьке пиццери* кондитерск* столов* фирм* завод* фабрик* компани*
бистро шаурмичн* кальянн* ночн*клуб* продуктов* хозяйственн* цветочн* обувн*
caffe* caffè* kafe* kafana* kafani* buregdžinic* ćevabdžinic* cevabdzinic* alimentar* alimentara
"""

# offices that are local only when a place, a district or a number follows (or precedes) them
OFFICE = """
comisaría* comisaria* estación* estacion* agencia* fiscalía* fiscalia* unidad* oficina* dirección* direccion*
departamento* centro* coordinación* coordinacion* delegación* delegacion* juzgado* módulo* modulo* sede*
hospital* clínica* clinica* posta* defensoría* defensoria* secretaría* secretaria* instituto* subestación*
dif uri cai cem demuna mp upj cavif capiv caivas sijin gaula
station* office* unit units centre* center* agency agencies directorate* department* service* services court*
hospital* clinic* shelter*
komisariat* stacion* njësi* njesi* zyr* qend* drejtori* agjenci* sektor* departament* bashki* spital*
klinik* gjykat* prokurori* shërbim* sherbim*
comisariat* inspectorat* secți* secţi* secti* postul* direcți* directi* serviciul* serviciului centrul*
centrului agenți* agenti* oficiul* biroul* primări* primari* spitalul* spitalului judecători* judecatori*
procuratur*
postaj* stanic* centar* centr* ured* služb* sluzb* uprav* agencij* odjel* odjeljenj* odsjek* bolnic* sud suda
sudu tužilašt* tuzilast* općin* opcin* opštin* opstin* mup pu ps cms csr
инспекторат* комиссариат* отдел* отделени* управлени* центр* служб* агентств* департамент* дирекци* мэри*
примэри* больниц* поликлиник* суд суда суде прокуратур* ип ровд овд гувд увд комиссари*
savjetovališt* savjetovalist* savetovališt* savetovalist* консультаци* counselling counseling consultori*
"""

# organisations named by a capitalised name whatever it says ("Corporación Caminos de Abril")
NAMED_ORG = """
corporación* corporacion* fundación* fundacion* asociación* asociacion* colectivo* ong
foundation* association* charity charities
shoqat* fondacion* organizat*
asociați* asociati* fundați* fundati* organizați* organizati*
udruženj* udruzenj* udrug* fondacij* zaklad*
ассоциаци* фонд* организаци* центр*
"""

# a complement that belongs to an office's head: "inspectorat de poliție", "police station"
OFFICE_COMPLEMENT = """
policía policia police policisë policise policinë policine policia poliție politie poliţie poliției politiei
policije policiji policijsk* полиции полиция полицию policijska policijske policijskoj
station stations de-policía de-policia de-poliție de-politie mentalno zdravlje
"""

# schools: a number, a quoted name or capitalised words after one of them is that school
SCHOOL = """
colegio* escuela* liceo* instituto* secundaria* secu prepa* preparatoria* primaria* bachillerato* telesecundaria*
cbtis cetis conalep cecyt cobach universidad* normal i.e. ie iep jardín jardin
school* college* academy lyceum gymnasium university
shkoll* shk. shk sh.m. shm gjimnaz* gjimn. gjimn kolegj* universitet* sh.m.p.
liceu* colegiul colegiului colegiu gimnazi* școal* scoal* lt universitat*
škol* skol* gimnazij* koledž* koledz* msts sš ss oš os srednj* fakultet*
школ* лице* гимнази* колледж* училищ* профучилищ* техникум* пту университет* лицей сш лт
institute* institutul* institut* институт* academy academies academia* akademij* академи* univerzitet* univerzitat*
institución-educativa institucion-educativa
"""

# churches, mosques and monasteries: a saint or a name after them
RELIGIOUS = """
iglesia* parroquia* capilla* templo* catedral* basílica* basilica* santuario*
church* parish* chapel* cathedral* mosque*
kish* xhami* manastir*
biseric* mănăstir* manastir* catedral* parohi* capel*
crkv* žup* zup* džamij* dzamij* mesdžid* mesdzid* manastir* samostan* kapel* katedral* hram*
храм* церк* собор* монастыр* часовн* мечет* костел* приход*
"""
SAINT = r"(?:San|Santa|Santo|Santos|Nuestra|Virgen|Sagrado|Cristo|Señor|Saint|St\.?|Sts\.?|Shën|Shen|Sh\.|" \
        r"Sf\.?|Sfântul|Sfantul|Sfânta|Sfanta|Sfinții|Sfintii|Sv\.?|sv\.|Svetog|Svetoga|Svete|Svetih|svetog|svete|svetoga|" \
        r"Святого|Святой|Святых|Св\.|св\.|святого|святой|святых|Пресвятой|Успения|Рождества|Покрова|Вознесения|Троицы)"

# streets and landmarks: the next words, whatever their case, and a house number
STREET_ABBR = r"(?:ul|str|bd|bdul|blv|bul|rr|av|avda|cra|kra|cll|cl|jr|psje|ул|пр|просп|пер|бул|пл|мкр|lagj|sos|șos)\."
STREET_ABBR_NODOT = r"(?:cra|kra|cll|ул|мкр)"
STREET_WORD = """
calle calles carrera* avenida* jirón jiron pasaje* calzada* prolongación* prolongacion* diagonal transversal
rrug* bulevard* shesh* unaz* pazar* tregu tregun tregut tregjet ura urës ures urën uren lagj* kodr*
strada* stradela* bulevardul* bulevardului șoseaua* soseaua* aleea* calea* piața* piata* intrarea* stradel*
ulica ulici ulicu ulice ulicom bulevar* trg trgu trga šetalište* setaliste* naselj* mahal*
улица улице улицу улицы проспект* переул* бульвар* шоссе площад* микрорайон*
"""
# a place noun after a lowercase name: "kamberovica polja", "dajlanit ura"
PLACE_AFTER = "polje polja polju brdo brda brdu potok potoka dolina doline brijeg brijega vrelo mahala mahale mahali"

CONNECT = {"de", "del", "la", "las", "los", "el", "y", "e", "i", "të", "te", "së", "se", "cel", "lui", "al", "a",
           "di", "da", "do", "za", "na", "u", "od", "of", "the", "for", "për", "per", "и", "по", "при", "de-la",
           "чел", "дин", "луй", "din"}
DISTRICT = """района районе району район raionului raionul raion rajon rajona rajonu district municipality county
municipio municipal opštine općine opcine opstine općina opština bashkisë bashkise qarkut qarku comunei comuna
municipiului города г. поселка села sector sectorul norte sur oeste este centro centre center zapad istok sjever jug
""".split()


# "Njësia për të Miturit", "Unit for Minors": what an office is for names no place
PURPOSE = set("për per for za para pentru для по te të".split())

STOP_LOWER = set("""y e i o a u me se que and the to is was with de en la el con por para me le lo su
    në ne që qe të te se nga si ka ishte dhe në și si la cu pe în in din că ca s-a a-i și je da se su bila bio
    и в на с что не как это был была он она к по из у за от""".split())

UNIT_AFTER = re.compile(r"[ \u00a0]*-?[ \u00a0]*(?:vjeçare|vjecare|años|anos|año|ano|years?|vjet|vjeç|vjec|ani|godina|godine|лет|года|veces|times|"
                        r"horas?|hours?|días|dias|days?|km|minutos|minutes|meses|months|muaj|luni|mjeseci|месяц\w*|"
                        r"h|min|%|clase|class|kl\.|razred|класс\w*)(?!\w)", re.IGNORECASE)

# extra given names and hypocoristics of the six countries (general knowledge), for lowercase notes
EXTRA_GIVEN = {
    "sq": """ergi ergys ergin kristi kristian kristina xhesi xhesika arbi aldi aldo endri elio eraldo fabjola kejdi
        kejsi klodian marsel mikel orgest orgesa redi sindi xhuljeta xhuljo jurgen amarildo alesio klevis klea
        klajdi erion enea erald erjon fjona lorenc luan megi noel rei rigers greta jonida sara dea amela esi
        ersi ersa erisa ana klaudia aurel gerti geri xheni xhoana xhensila anxhela anxhelo olsi olta arlind
        lediana ledio enxhi enxhi kevin joel denis denisa bruno rexhep florian florjan""",
    "es": """yeimi yeimy yesica yessica yuli yuly nubia mauro maicol mayerli jonatan jhon jhonatan brayan bryan
        yeison duvan stiven estiven yurani dayana leidy deisy yenifer jenifer yurany wilmer jairo yamile yaneth
        yolima nelly marleny luz-mery dairo edwin fredy freddy wilson jhonny yordi yorladis yohana johana
        lupita chuy pepe paco lalo memo nacho toño güero chayo lulú lulu yadira yazmín yazmin maribel
        araceli xóchitl xochitl itzel citlali brenda karla ximena fernanda nayeli""",
    "en": "",
    "ro": """vitalik vitalie vadim slavic dima dumitru iurie veaceslav vlad vladik sanda ionuț ionut ghenadie
        ghena nicu nicolae petru tudor valeriu corina cristina doina mihaela nadejda natalia olesea oxana
        tatiana tania svetlana ludmila liuba lilia viorica victoria rodica stela snejana aliona alionușca""",
    "ru": """паша влад вова витя лёша серёжа женя коля толя миша гоша костя стас юра ваня петя федя гриша тёма
        артём саша маша даша наташа катя настя оля лена таня света юля аня ира вика ксюша надя галя люда
        зина валя лиза соня алёна полина алина кристина дима вадик виталик славик димон серый лёха макс
        жора сеня ваня вася игорь олег денис руслан ника карина диана эля ульяна снежана олеся оксана
        марина инна алла жанна людмила кирилл данил даниил никита егор тимур тимофей ярослав святослав""",
    "sh": """fata fatima sabina haris amra emina lejla adnan kenan tarik dino edin emir amar ajla selma belma
        merima dženana hana aida azra nejra lamija amina ilma naida mersiha mirela adna elma zerina almir
        armin harun kerim nermin senad samir elvis mujo suljo haso fadil ado ena mia lana""",
}
# hypocoristics that are everyday words too: left to the capitalised rules
EXTRA_AMBIGUOUS = set("слава вера надежда любовь лев роза мир нина лиза мая".split())

# abbreviated months written with a period (or, in Russian, without)
MONTH_ABBR = {
    "es": "ene feb mar abr may jun jul ago sep sept set oct nov dic",
    "en": "jan feb mar apr jun jul aug sep sept oct nov dec",
    "sq": "jan shk mar pri prill maj qer kor gus sht tet nën nen dhj",
    "ro": "ian feb febr mar mart apr mai iun iul aug sep sept oct noi nov dec",
    "sh": "jan feb mar apr maj jun jul aug avg sep sept okt nov dec",
    "ru": "янв фев февр мар апр мая июн июл авг сен сент окт ноя нояб дек",
}

# folded forms of common words a lowercase rule must never take for a name or place
LOWER_STOP = set("para como casa mina sol mar".split())


def _alternation(words: str) -> str:
    """A regex alternation from a word list: "stem*" takes any word ending, "a-b" allows a space."""
    exact, stems = set(), set()
    for w in words.split():
        w = w.lower()
        if w.endswith("*"):
            stems.add(re.escape(w[:-1]).replace(r"\*", r"\w*"))
        else:
            exact.add(re.escape(w).replace("\\-", "[ \u00a0]").replace("-", "[ \u00a0]"))
    parts = sorted(exact, key=len, reverse=True)
    alts = []
    if stems:
        alts.append("(?:" + "|".join(sorted(stems, key=len, reverse=True)) + r")\w*")
    if parts:
        alts.append("(?:" + "|".join(parts) + r")(?![\w])")
    return "(?:" + "|".join(alts) + ")"


NUMBER = rf"(?:(?:n[rº°o]\.?|N[rº°o]\.?|N\.?[ \u00a0]?[°º]|№|#|núm\.?|no\.){SP}*)?\d{{1,5}}(?:[/\-]\d{{1,4}})?[{LO}]?(?![\w/])"
QUOTED = rf"[{OPEN_Q}][{UP}0-9][^\n{OPEN_Q}{CLOSE_Q}]{{0,38}}?[{CLOSE_Q}]"
CAPNAME = rf"[{UP}][^\W\d_]*(?:-[{UP}0-9][^\W_]*)*"
CAPRUN = rf"{CAPNAME}(?:{SP}+(?:(?:de|del|la|e|i|të|së|cel|lui|y|и){SP}+)?{CAPNAME}){{0,3}}"


@lru_cache(maxsize=None)
def _compiled():
    business = _alternation(BUSINESS)
    named = _alternation(NAMED_ORG)
    school = _alternation(SCHOOL)
    religious = _alternation(RELIGIOUS)
    office = _alternation(OFFICE)
    complement = _alternation(OFFICE_COMPLEMENT)
    street_word = _alternation(STREET_WORD)
    r = {}
    nostop = "(?!(?:" + "|".join(sorted(map(re.escape, STOP_LOWER | CONNECT), key=len, reverse=True)) + r")(?![\w.]))"
    # a business noun, an optional word ("service auto"), then a quoted name or a capitalised one
    r["business"] = re.compile(
        rf"(?i:(?<!\w){business})(?:{SP}+{nostop}(?P<mid>[{LO}][\w.\-]{{1,14}}))?{SP}*(?:(?P<q>{QUOTED})|(?P<cap>{CAPRUN}))")
    named_run = rf"{CAPNAME}(?:{SP}+(?:(?:de|del|la|las|los|el|e|i|të|së|cel|lui|y|и|que|for|of|the|za|pentru|për|per|для|para|con|sin){SP}+)?{CAPNAME}){{0,4}}"
    r["named"] = re.compile(rf"(?i:(?<!\w){named}){SP}+(?:(?P<q>{QUOTED})|(?P<cap>{named_run}))")
    r["school"] = re.compile(
        rf"(?i:(?<!\w){school})(?:{SP}*{nostop}(?P<mid>(?:[{LO}][\w\-]{{0,3}}\.|[{LO}][\w\-]{{0,14}}(?![\w.])|\d{{1,2}}-\w+)){SP}*?){{0,2}}?{SP}*"
        rf"(?:(?P<num>{NUMBER})(?:{SP}*(?P<q2>{QUOTED}))?|(?P<q>{QUOTED})"
        rf"|(?P<cap>(?:(?:of|for|de|za|po|по){SP}+)?{CAPRUN})(?P<capnum>\.?{SP}*(?:(?:№|#|N[oº°r]\.?){SP}*)?\d{{1,5}}(?![\w/]))?)"
        rf"(?P<town>,?{SP}*(?:г\.|гор\.|с\.|мун\.|mun\.|or\.|s\.|sat|din|în|in|u|en|de|në|ne|из|в){SP}*{CAPNAME}(?:{SP}{CAPNAME})?)?")
    r["religious"] = re.compile(
        rf"(?i:(?<!\w){religious}){SP}+(?:(?:e|i|de|of|del|la|in|en|u|în|в|din|из|из|në|ne){SP}+)?(?:{SAINT}{SP}*)?{CAPRUN}")
    r["office"] = re.compile(rf"(?i:(?<!\w){office})(?:{SP}+(?:(?:de|e|of|za|i|de{SP}+la){SP}+)?(?i:{complement})){{0,2}}")
    r["street"] = re.compile(
        rf"(?i:(?<![\w.])(?:{STREET_ABBR}|{STREET_ABBR_NODOT}(?=[ \u00a0])|{street_word}))(?!\w)")
    r["place_after"] = re.compile(rf"(?<![\w\-])([{LO}]{{4,}}){SP}+(?:{'|'.join(PLACE_AFTER.split())})(?!\w)")
    # "[А-ЯЁ](?<![\w.][А-ЯЁ])" is "(?<![\w.])[А-ЯЁ]" led by the capital, so the scan skips to capitals in C
    r["initials"] = re.compile(r"[А-ЯЁ](?<![\w.][А-ЯЁ])\.[ \u00a0]?[А-ЯЁ]\.(?:[ \u00a0]?[А-ЯЁ]\.)?(?![\w])")
    return r


HOUSE = re.compile(rf"(?:{SP}*,?{SP}*(?:(?:nr|no|nº|n°|№|#|д|дом|bl|br)\.?{SP}*)?\d{{1,4}}[{LO}A-Z]?(?:{SP}?[/\-]{SP}?\d{{1,4}}[{LO}A-Z]?)?)"
                   rf"(?:{SP}*,?{SP}*(?:bl|ap|sc|et|kv|кв|корп|стр|apt|stan|hyrja|shk|ap\.)\.?{SP}*\d{{1,4}}\w?){{0,3}}(?![\w/])")
WORD_AT = re.compile(rf"{SP}+([^\W\d_]+(?:[\-'’][^\W\d_]+)*\.?)")
GRID_TAIL = re.compile(rf"{SP}*\d{{1,3}}[{LO}A-Z]?(?:{SP}+(?:bis|sur|norte|este|oeste|oriente|poniente)){{0,2}}"
                       rf"(?:{SP}*(?:#|n[oº°]\.?){SP}*\d{{1,3}}[A-Za-z]?(?:{SP}*-{SP}*\d{{1,3}})?)?(?![\w])", re.IGNORECASE)
# abbreviations before a place name: municipality, district, town, village
PLACE_ABBR = set("мун р-на р-н г с пгт mun r-nul r-l or s sat com jud орас".split())
PLACE_ABBR_RX = "|".join(sorted((re.escape(w) for w in PLACE_ABBR), key=len, reverse=True))
TOKEN = re.compile(rf"[ \u00a0]*(?:(?P<num>{NUMBER})|(?P<word>(?i:{PLACE_ABBR_RX})\.(?=[ \u00a0]*[\w№#])|[^\W\d_]+(?:[\-'’][^\W\d_]+)*)|(?P<stop>[.;:!?()\n\[\]]|,))")


# the small patterns the phrase loops use, compiled once
NUMBER_SIGN = re.compile(r"(?i)n|№|#").match
NON_DIGITS = re.compile(r"\D")
SPACES = re.compile(r"[ \u00a0]*").match
TWO_WORDS = re.compile(rf"[ \u00a0]*([^\W\d_]+{SP}+[^\W\d_]+)").match
CAPNAME_BEFORE = re.compile(rf"(?<![\w.])({CAPNAME}){SP}+\Z")
CAPNAMES_BEFORE = re.compile(rf"((?:{CAPNAME}{SP}+){{1,3}})\Z")
GRID_MARK = re.compile(r"[#\-]|sur|norte|este|oeste|oriente|poniente|bis", re.IGNORECASE).search
LOWER_WORD_BEFORE = re.compile(rf"(?<![\w\-])([{LO}]{{3,}}){SP}\Z")
DASH_CAP = re.compile(rf"{SP}*[–—\-]{SP}*[{UP}][{LO}]+(?![\w\-])").match
DOT_WORD = re.compile(r"\.\w").match
INITIAL_AFTER = re.compile(rf"{SP}[{LO}{UP}]\.").match


def _search_before(rx, text: str, start: int, width: int):
    """rx.search(text[start - width:start]) for CAPNAME(S)_BEFORE, skipped when it cannot match:
    they end in spaces after a name, so the window's last word before those spaces has a capital."""
    window = text[max(0, start - width):start]
    if not window or window[-1] not in " \u00a0":
        return None
    last = window.rstrip(" \u00a0").rsplit(None, 1)
    if not last or last[-1].islower():
        return None
    return rx.search(window)


# --- look-ups ------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _lang_data(lang: str):
    name_lang = vocab.NAME_LANG[lang]
    common = gz.common_words(lang)
    decoys = gz.decoy_words() | gz.all_months()
    extra = {fold(w) for w in EXTRA_GIVEN.get(name_lang, "").split()} | \
        {fold(w) for ws in EXTRA_GIVEN.values() for w in ws.split()}
    names = gz.all_names() | extra
    given = gz.given_names() | extra
    surnames = frozenset().union(*(gz.names("surname", nl) for nl in gz.NAME_LANGS))
    from coder.identify.pipeline import ENDINGS, SUFFIXES  # read-only: the declension tables
    suffixes = tuple(sorted({fold(x) for x in SUFFIXES.get(name_lang, ())}, key=len, reverse=True))
    endings = tuple(dict.fromkeys(fold(x) for x in ENDINGS.get(name_lang, ("",))))
    return {"common": common, "decoys": decoys, "names": names, "given": given, "surnames": surnames,
            "extra": frozenset(extra), "suffixes": suffixes, "endings": endings,
            "ambiguous": gz.ambiguous(lang) | {fold(w) for w in EXTRA_AMBIGUOUS},
            "curated": gz.curated_places(), "geo": gz.geo_places(), "own": gz.own_names(lang) | extra,
            "phrases": gz.place_phrases()[0], "institution": gz.institution_words(), "cache": {},
            "seen": set(), "pos": {}, "pos_keys": set(), "base": {}, "place_word": {}, "anchor": {}}


def _base(f: str, d) -> tuple[str, str] | None:
    """("name"|"place", base form) for a folded word or a declined form of it."""
    cache = d["base"]
    if f in cache:
        return cache[f]
    out = _base_uncached(f, d)
    if len(cache) < 300_000:
        cache[f] = out
    return out


def _base_uncached(f: str, d) -> tuple[str, str] | None:
    if f in d["names"]:
        return "name", f
    if f in d["curated"] or f in d["geo"]:
        return "place", f
    if len(f) >= 4:
        for suffix in d["suffixes"]:
            if f.endswith(suffix) and len(f) - len(suffix) >= 3:
                stem = f[: len(f) - len(suffix)]
                for e in d["endings"]:
                    c = stem + e
                    if c in d["names"]:
                        return "name", c
                    if c in d["curated"] or c in d["geo"]:
                        return "place", c
    return None


def _memo(name: str):
    """Cache a per-word verdict `fn(word, lang, d)` in d[name] (a pure function of the word for
    the language), so the phrase loops pay one dict look-up per word they meet again."""
    def wrap(fn):
        def cached(word: str, lang: str, d) -> bool:
            cache = d[name]
            out = cache.get(word)
            if out is None:
                out = fn(word, lang, d)
                if len(cache) < 300_000:
                    cache[word] = out
            return out
        cached.__doc__ = fn.__doc__
        return cached
    return wrap


WORD_PARTS = re.compile(r"[\-']")


@_memo("place_word")
def _is_place_word(word: str, lang: str, d) -> bool:
    """A capitalised word (or hyphenated compound) that names a place, or a lowercase one that
    names one and is no everyday word."""
    parts = [p for p in WORD_PARTS.split(word.rstrip(".")) if p]
    for p in parts:
        f = fold(p)
        b = _base(f, d)
        if b and b[0] == "place" and (p[:1].isupper() or (f not in d["common"] and len(f) >= 4)):
            return True
    return False


@_memo("anchor")
def _anchor(word: str, lang: str, d) -> bool:
    """Does this word locate an office? A place, or a capitalised word that is no everyday word."""
    w = word.rstrip(".")
    if not w:
        return False
    f = fold(w)
    if f in d["decoys"] or f in d["institution"]:
        return False
    if _is_place_word(w, lang, d):
        return True
    if w[:1].isupper() and not w.isupper() and f not in d["common"] and len(f) >= 3:
        return True
    return False


# --- the families --------------------------------------------------------------------------------

def _quote_ok(q: str) -> bool:
    inner = q[1:-1].strip()
    return bool(inner) and len(inner.split()) <= 5 and inner[-1] not in "?!.,"


def _business(text: str, rx, at, d, hits: list[Hit], kind: str, reason: str) -> None:
    for m in _matches(rx, text, at):
        mid = m.groupdict().get("mid")
        if mid and (fold(mid) in STOP_LOWER or fold(mid) in CONNECT):
            continue
        if m.group("q"):
            if not _quote_ok(m.group("q")):
                continue
        else:
            name = m.group("cap")
            first = fold(name.split()[0])
            if first in d["decoys"] or (mid and len(name.split()) == 1 and first in d["common"]):
                continue
        hits.append((m.start(), m.end(), kind, 0.6, reason))


# adjectives before a school's head noun: "Кагульском профессиональном училище", "Srednje mašinske
# tehničke škole", "Moldovan Institute": Slavic adjective endings, or any capitalised word
ADJ_WORD = re.compile(
    rf"(?:[{UP}]?[{LO}]*(?:[сcнвчк]|ическ|ческ|льн|ск|цк|ов|ев|ин)(?:ий|ый|ой|ого|его|ому|ему|ом|ем|ая|яя|ую|юю|ое|ее|ые|ие|ых|их|ым|им|ыми|ими)"
    rf"|[{UP}]?[{LO}]*(?:sk|šk|čk|ck|ičk|n|j|ov|ev|in)(?:a|e|i|o|oj|om|og|oga|ih|im|ima|u|ome|ega)"
    rf"|[{UP}][{LO}]+(?:an|ian|ean|ese|ish))\Z").match
_ADJ_CACHE: dict[str, bool] = {}


def _is_adj(w: str) -> bool:
    out = _ADJ_CACHE.get(w)
    if out is None:
        out = bool(ADJ_WORD(w))
        if len(_ADJ_CACHE) < 300_000:
            _ADJ_CACHE[w] = out
    return out


# a lowercase field after a capitalised school head: "Колледже информатики", "Fakultetu političkih nauka"
FIELD_AFTER = re.compile(
    rf"(?:{SP}+[{LO}]{{3,}}(?:ки|ики|ии|ия|ого|его|ых|их|ства|ния|ний|ности|nosti|ih|skih|nauka|ije|ții|ției|ics|ing)){{1,3}}(?![\w])")
HEAD_WORD = re.compile(r"\w+").match
PLACE_AFTER_QUOTE = re.compile(rf"{SP}+({CAPNAME})").match


def _school_back(text: str, start: int, lang: str, d) -> tuple[int, bool]:
    """Where a school phrase starts once its adjectives are taken, and whether they hold a
    capitalised word that is not a sentence's first."""
    lo = max(0, start - 80)
    window = text[lo:start]
    words = []
    if window[-1:] in (" ", "\u00a0"):
        parts = window.split()
        if lo and not text[lo - 1].isspace() and not window[:1].isspace():
            parts = parts[1:]  # a word cut by the window
        for w in reversed(parts[-3:]):
            if not _is_adj(w):
                break
            words.append(w)
        words.reverse()
    if not words:
        before = _search_before(CAPNAME_BEFORE, text, start, 30)
        if before and fold(before.group(1)) not in d["decoys"] and not _sentence_start(text, start - len(before.group(0))):
            return start - len(before.group(0)), True
        return start, False
    # keep only the trailing words that are no stop word
    keep = []
    for w in reversed(words):
        f = fold(w)
        if f in STOP_LOWER or f in CONNECT:
            break
        keep.append(w)
    keep.reverse()
    if not keep:
        return start, False
    new = start
    for w in reversed(keep):
        new = text.rindex(w, 0, new)
    capital = False
    for i, w in enumerate(keep):
        if w[:1].isupper():
            pos = text.index(w, new) if i == 0 else None
            if i == 0 and _sentence_start(text, pos):
                continue
            capital = True
    before = _search_before(CAPNAME_BEFORE, text, new, 30)
    if before and fold(before.group(1)) not in d["decoys"] and not _sentence_start(text, new - len(before.group(0))):
        return new - len(before.group(0)), True
    return new, capital


def _schools(text: str, rx, at, lang: str, d, hits: list[Hit]) -> None:
    for pos in at:
        m = rx.match(text, pos)
        head = HEAD_WORD(text, pos)
        if m:
            mid = m.group("mid")
            if mid and fold(mid.rstrip(".")) in STOP_LOWER and not (mid.endswith(".") and fold(mid.rstrip(".")) in PLACE_ABBR):
                m = None
        end = None
        if m and m.group("num"):
            num = m.group("num")
            if not NUMBER_SIGN(num) and UNIT_AFTER.match(text, m.end("num")):
                m = None
            elif not NUMBER_SIGN(num) and len(NON_DIGITS.sub("", num)) == 4 and not m.group("q2"):
                m = None  # a year (but 'I.E. 1024 "Santa Rosa"' is a school's number)
        elif m and m.group("q"):
            if not _quote_ok(m.group("q")):
                m = None
        elif m:
            name = m.group("cap")
            if fold(name.split()[-1] if name.split()[0] in ("of", "for", "de", "za", "po", "по") else name.split()[0]) in d["decoys"]:
                m = None
            elif m.group("capnum"):
                cn = m.group("capnum")
                if not name.endswith(("No", "Nr", "Nº", "N°")) and not NUMBER_SIGN(cn.strip(". ")) and (
                        len(NON_DIGITS.sub("", cn)) == 4 or UNIT_AFTER.match(text, m.end("capnum"))):
                    end = m.end("cap")
        if m:
            if end is None:
                end = m.end()
                quoted = m.group("q") or m.group("q2")
                if quoted and not m.group("town") and end == m.end("q" if m.group("q") else "q2"):
                    after = PLACE_AFTER_QUOTE(text, end)
                    if after and _is_place_word(after.group(1), lang, d):
                        end = after.end()  # 'univerzitetom "Most" Zenica'
            start, _ = _school_back(text, m.start(), lang, d)
            hits.append((start, end, "SCHOOL", 0.65, "phrase:school"))
            continue
        # no name after the head: its adjectives or its field name it ("Кагульском профессиональном
        # училище", "Колледже информатики")
        if not head:
            continue
        hend = head.end()
        start, capital = _school_back(text, pos, lang, d)
        field = None
        if text[pos].isupper() and not _sentence_start(text, pos) and not head.group().isupper():
            field = FIELD_AFTER.match(text, hend)
        if field:
            words = field.group().split()
            if any(fold(w) in STOP_LOWER for w in words):
                field = None
        if capital or field:
            hits.append((start, field.end() if field else hend, "SCHOOL", 0.6, "phrase:school-adjective"))


def _sentence_start(text: str, pos: int) -> bool:
    j = pos - 1
    while j >= 0 and text[j] in " \t\u00a0\"'“„«(-–—•*":
        j -= 1
    return j < 0 or text[j] in "\n.!?:"


def _offices(text: str, rx, at, lang: str, d, hits: list[Hit]) -> None:
    n = len(text)
    for m in _matches(rx, text, at):
        # forward: words up to a stop, a place / number / rare capitalised word anchors the phrase
        pos = m.end()
        end = None
        lowercase = 0
        anchored = False
        words = 0
        prev = ""
        while words < 9 and pos < n:
            t = TOKEN.match(text, pos)
            if not t:
                dash = DASH_CAP(text, pos) if anchored else None
                if dash:
                    end = pos = dash.end()
                    continue
                break
            kind = t.lastgroup  # "num", "word" or "stop": one alternative matches, none nests a group
            if kind == "stop":
                if t.group("stop") == ",":
                    # "…, Bashkia Vlorë": another office head after the comma continues the phrase
                    gap = SPACES(text[t.end():t.end() + 4]).end()
                    nxt = rx.match(text, t.end() + gap)
                    if nxt and words <= 6:
                        pos = nxt.end()
                        words += 1
                        continue
                break
            words += 1
            if kind == "num":
                if not anchored and UNIT_AFTER.match(text, t.end()) or prev in d["decoys"] \
                        or NON_DIGITS.sub("", t.group("num")) in vocab.HELPLINES:
                    break
                anchored = True
                end = t.end()
                f = ""
            else:
                w = t.group("word")
                f = fold(w.rstrip("."))
                if f in CONNECT:
                    pass
                elif w[:1].isupper():
                    if _anchor(w, lang, d) and (prev not in PURPOSE or _is_place_word(w, lang, d)):
                        anchored = True
                        end = t.end() - (1 if w.endswith(".") else 0)
                    elif anchored or w.isupper():
                        if f in d["decoys"] and not anchored:
                            pass
                        elif anchored:
                            end = t.end() - (1 if w.endswith(".") else 0)
                    else:
                        two = TWO_WORDS(text[t.start():t.start() + 40])
                        if two and " ".join(fold(x) for x in two.group(1).split()) in d["phrases"]:
                            anchored = True
                            end = t.start() + two.end()
                            pos = end
                            continue
                else:
                    if anchored:
                        if f in DISTRICT:
                            end = t.end() - (1 if w.endswith(".") else 0)
                            pos = t.end()
                            continue
                        break
                    if prev in CONNECT and f not in STOP_LOWER and _is_place_word(w, lang, d):
                        anchored = True
                        end = t.end() - (1 if w.endswith(".") else 0)
                    elif f in PLACE_ABBR:
                        pass  # "мун. Бэлць", "р-на Кагул": the place after it anchors
                    else:
                        lowercase += 1
                        if lowercase > 4 or f in STOP_LOWER:
                            break
            pos = t.end()
            prev = f  # the folded word, "" after a number
        start = m.start()
        # backward: "Tuzla Centre police station", "Комратский инспекторат полиции"
        back = _search_before(CAPNAMES_BEFORE, text, start, 60)
        if back:
            ws = back.group(1).split()
            if any(_anchor(w, lang, d) for w in ws) and not (len(ws) == 1 and _sentence_start(text, start - len(back.group(1)))
                                                            and fold(ws[0]) in d["common"]):
                start -= len(back.group(1))
                if end is None:
                    end = m.end()
            elif end is not None and not _sentence_start(text, start - len(back.group(1))):
                start -= len(back.group(1))  # the head's adjective: "Policijskoj postaji X"
        if end is not None and anchored or (end is not None and start < m.start()):
            hits.append((start, end, "ORG", 0.6, "phrase:office"))


def _streets(text: str, rx, at, lang: str, d, hits: list[Hit]) -> None:
    n = len(text)
    for m in _matches(rx, text, at):
        cue = m.group()
        abbr = cue.endswith(".") or len(cue) <= 4
        grid = GRID_TAIL.match(text, m.end())
        if grid and fold(cue.rstrip(".")) in ("calle", "carrera", "cra", "kra", "cll", "cl", "avenida", "av", "diagonal", "transversal"):
            if GRID_MARK(grid.group()):
                hits.append((m.start(), grid.end(), "PLACE", 0.65, "phrase:street-grid"))
            continue
        pos = m.end()
        end = None
        taken = 0
        while taken < 4 and pos < n:
            w = WORD_AT.match(text, pos)
            if not w:
                break
            word = w.group(1)
            f = fold(word.rstrip("."))
            if taken == 0 and f in CONNECT:
                nxt = WORD_AT.match(text, w.end())
                if nxt and (nxt.group(1)[:1].isupper() or fold(nxt.group(1).rstrip(".")) not in d["common"]) \
                        and fold(nxt.group(1).rstrip(".")) not in STOP_LOWER:
                    pos = w.end()
                    continue
                break
            if taken == 0:
                if not abbr and word[:1].islower() and (f in d["common"] or f in STOP_LOWER):
                    break  # "en la calle me dijo", "на улице было"
                if f in STOP_LOWER and not word[:1].isupper():
                    break
            elif f in CONNECT:
                nxt = WORD_AT.match(text, w.end())
                if not (nxt and nxt.group(1)[:1].isupper()):
                    break
            elif not word[:1].isupper():
                after = text[w.end():w.end() + 2]
                if f in STOP_LOWER or f in d["common"] and not (after[:1] in ",.;)\n" or after[:1] == "" or after.strip()[:1].isdigit()):
                    break
                if taken >= 2:
                    break
            if word.endswith(".") and taken and not text[w.end():w.end() + 2].strip()[:1].isdigit():
                word = word[:-1]
            end = w.start(1) + len(word.rstrip(".") if word.endswith(".") else word)
            pos = end
            taken += 1
            if word.endswith(".") or text[pos:pos + 1] in ",;:":
                break
        house = HOUSE.match(text, end if end is not None else m.end())
        if house and house.end() > (end or m.end()):
            end = house.end()
        if end is not None:
            hits.append((m.start(), end, "PLACE", 0.6, "phrase:street"))


SAINT_WORD = re.compile(SAINT + r"\Z").match
LOCATIVE_IN = frozenset("in en u în в din из në ne".split())


def _religious(text: str, rx, at, lang: str, d, hits: list[Hit]) -> None:
    for m in _matches(rx, text, at):
        words = m.group().split()
        last = words[-1]
        if fold(last) in d["decoys"] and len(words) <= 2:
            continue
        if len(words) > 2 and words[1] in LOCATIVE_IN and not any(_anchor(w, lang, d) for w in words[2:] if not SAINT_WORD(w)):
            continue  # "iglesia en Semana Santa": a place must follow "in"
        start = m.start()
        before = _search_before(CAPNAME_BEFORE, text, start, 30)
        if before and fold(before.group(1)) not in STOP_LOWER and not _sentence_start(text, start - len(before.group(0))):
            start -= len(before.group(0))  # "Franciscan parish", "Pravoslavna crkva"
        hits.append((start, m.end(), "ORG", 0.6, "phrase:religious"))


# The first letter of each line and of each sentence after ". ", "! " or "? ". One regex per
# leading literal ("\n", ".", "!", "?") lets the scan jump between them in C; the spans these
# patterns match hold no other stop or newline, so together they find what
# "(?m)(?:^|[.!?][ \u00a0]+)[-•* \u00a0]*([^\W\d_])" finds.
FIRST_LETTER = r"[-•* \u00a0]*([^\W\d_])"
LINE_FIRST = re.compile(FIRST_LETTER)
SENTENCE_FIRSTS = tuple(re.compile(re.escape(stop) + r"[ \u00a0]+" + FIRST_LETTER) for stop in ".!?") + \
    (re.compile("\n" + FIRST_LETTER),)


def _hasty(text: str) -> bool:
    """Notes typed in a hurry: many lines and sentences start in lowercase."""
    first = LINE_FIRST.match(text)
    firsts = [first.group(1)] if first else []
    for rx in SENTENCE_FIRSTS:
        firsts += rx.findall(text)
    lower = sum(1 for c in firsts if c.islower())
    return lower >= 2 and lower >= 0.3 * len(firsts)


LOWER_RUN = re.compile(rf"(?<![\w@.\-/])[{LO}][{LO}]{{2,}}(?![\w@/]|\.\w)")
NAME_THRESHOLD = 4.0      # own-language names and hypocoristics typed lowercase
FOREIGN_NAME_THRESHOLD = 3.0
CURATED_PLACE_THRESHOLD = 4.4
GEO_PLACE_THRESHOLD = 3.3


# words before a place: a place known only from GeoNames is taken in lowercase only after one
LOCATIVE = set("""en de desde a hacia por in from to at near ne në nga te tek prej drejt afër afer deri per për
    u iz kod do za na prema în in la din spre lângă langa pe в во из на под до около возле у""".split())
LOCATIVE_BEFORE = re.compile(rf"(?<![\w])([{LO}]{{1,6}}){SP}+\Z")


def _lower_verdict(word: str, lang: str, d, hasty: bool) -> tuple[str, float, str] | None:
    """(type, score, base) for a lowercase word that names someone or somewhere, else None."""
    key = (word, hasty)
    cache = d["cache"]
    if key in cache:
        return cache[key]
    out = None
    f = fold(word)
    if len(f) >= 3 and f not in d["decoys"] and f not in CONNECT and f not in STOP_LOWER and f not in d["institution"] \
            and f not in d["ambiguous"] and f not in LOWER_STOP:
        z = gz.zipf(f, lang)
        b = _base(f, d)
        if b and b[0] == "name" and b[1] not in d["ambiguous"] and len(b[1]) >= 3:
            limit = NAME_THRESHOLD if (b[1] in d["own"] or b[1] in d["extra"]) else FOREIGN_NAME_THRESHOLD
            if b[1] in d["extra"] and lang == "ru":
                limit = 4.3
            if b[1] != f:
                limit = min(limit, 3.6)
            if not hasty:
                limit -= 0.5
            if z < limit:
                out = ("PERSON", 0.5, b[1])
        elif b and b[0] == "place" and len(f) >= 4:
            if b[1] != f and (b[1] not in d["curated"] or z >= 3.6 or (lang == "sq" and len(b[1]) < 5)):
                pass  # a declined place: only a curated one, and in Albanian a long one ("punon" ≠ Puno)
            elif b[1] in d["curated"]:
                if z < (CURATED_PLACE_THRESHOLD if hasty else 3.6):
                    out = ("PLACE", 0.5, b[1])
            elif hasty and len(f) >= 5 and z < GEO_PLACE_THRESHOLD:
                out = ("PLACE", 0.4, "geo")
    if len(cache) < 200_000:
        cache[key] = out
    return out


LETTERS = re.compile(r"[^\W\d_]+")


def _lowercase(text: str, note_names: set[str], words, lang: str, d, hits: list[Hit]) -> None:
    hasty = _hasty(text)
    found = {}
    for w in words:
        v = _lower_verdict(w, lang, d, hasty)
        if not v:
            continue
        f = fold(w)
        if v[0] == "PERSON" and v[2] != f:
            # a declined form: trusted when the note names the base form too ("ergi" … "ergin"),
            # or, but in Albanian (no word frequencies), when it is a rare word
            if v[2] not in note_names and lang == "sq":
                continue
        found[w] = v
    # a lowercase given name (even an everyday word) before a lowercase surname: "julio cárdenas"
    for w in words if hasty else ():
        b = fold(w)
        if b in d["surnames"] and b not in d["common"] and gz.zipf(b, lang) < 4.0:
            for p in _positions(text, w):
                before = LOWER_WORD_BEFORE.search(text[max(0, p - 25):p])
                if before and fold(before.group(1)) in d["given"]:
                    hits.append((p - len(before.group()), p + len(w), "PERSON", 0.5, "phrase:lowercase-full-name"))
    if not found:
        return
    spots = sorted((p, w) for w in found for p in _positions(text, w))
    for p, w in spots:
        if p and text[p - 1] in "@.-/" or text[p + len(w):p + len(w) + 1] in ("@", "/") \
                or DOT_WORD(text[p + len(w):p + len(w) + 2]):
            continue
        kind, score, base = found[w]
        start, end = p, p + len(w)
        if base == "geo":
            before = LOCATIVE_BEFORE.search(text, max(0, start - 8), start)
            if not (before and fold(before.group(1)) in LOCATIVE):
                continue
        if kind == "PERSON":
            ini = INITIAL_AFTER(text[end:end + 3])
            if ini:
                end += ini.end()  # "влад б."
        hits.append((start, end, kind, score, f"phrase:lowercase-{kind.lower()}"))


@lru_cache(maxsize=None)
def _date_regexes(lang: str):
    name_lang = vocab.NAME_LANG.get(lang, lang)
    full = {w for key in {name_lang, "en"} for w in vocab.MONTHS.get(key, "").split()}
    abbr = {w for key in {name_lang, "en"} for w in MONTH_ABBR.get(key, "").split()}
    month = "(?:" + "|".join(sorted(map(re.escape, full | abbr), key=len, reverse=True)) + r")\.?"
    year = r"(?:[ \u00a0]*(?:,|de|del|of)?[ \u00a0]*\d{4}(?:[ \u00a0]?(?:г\.|года|godine|god\.))?)?"
    # "\d(?<![\d.]\d)\d?" is "(?<![\d.])\d{1,2}" led by a digit, so the scan jumps from digit to digit in C
    rng = re.compile(rf"\d(?<![\d.]\d)\d?\.?[ \u00a0]?[–—\-][ \u00a0]?\d{{1,2}}(?:\.|º|°|-?го)?[ \u00a0]*(?:de[ \u00a0]+|of[ \u00a0]+)?"
                     rf"(?i:{month}){year}(?!\w)")
    ab = re.compile(rf"\d(?<![\d.]\d)\d?(?:\.|º|°)?[ \u00a0]*(?i:(?:{'|'.join(sorted(map(re.escape, abbr), key=len, reverse=True))})\.)"
                    rf"{year}")
    return rng, ab


FAMILIES = (("business", BUSINESS), ("named", NAMED_ORG), ("school", SCHOOL), ("religious", RELIGIOUS),
            ("office", OFFICE), ("street", STREET_WORD + " ul str bd bdul blv bul rr av avda cra kra cll cl jr psje "
                                 "ул пр просп пер бул пл мкр lagj sos șos"), ("place_after", PLACE_AFTER))
WORD_RE = re.compile(r"\w+")


@lru_cache(maxsize=None)
def _triggers():
    """Per family: the exact lowercase words (the first word part of "i.e.", "sh.m.") and the stems."""
    out = []
    for fam, words in FAMILIES:
        exact, stems = set(), set()
        for w in words.split():
            w = w.lower()
            if w.endswith("*"):
                stems.add(WORD_RE.match(w).group() if WORD_RE.match(w) else w[:-1])
            else:
                m = WORD_RE.match(w)
                if m and len(m.group()) >= 2:
                    exact.add(m.group())
        out.append((fam, frozenset(exact), tuple(sorted(stems))))
    return tuple(out)


def _word_info(w: str, lang: str, d):
    """(families this word starts, lowercase verdict) for a word of the text, or None for neither."""
    lw = w.lower()
    fams = tuple(fam for fam, exact, stems in _triggers() if lw in exact or lw.startswith(stems))
    verdict = None
    if w.islower() and len(w) >= 3 and not w.isdigit():
        # judged again per note (whether the note is hasty changes the thresholds)
        f = fold(w)
        if _lower_verdict(w, lang, d, True) or _lower_verdict(w, lang, d, False) or (
                f in d["surnames"] and f not in d["common"]):
            verdict = True
    if not fams and not verdict:
        return None
    return fams, verdict


def _positions(text: str, word: str) -> list[int]:
    """Where `word` stands as a whole word (its start may be followed by more letters for a stem)."""
    out = []
    n, size, find = len(word), len(text), text.find
    pos = find(word)
    while pos >= 0:
        if pos == 0 or not text[pos - 1].isalnum() and text[pos - 1] != "_":
            end = pos + n
            if end >= size or not (text[end].isalnum() or text[end] == "_"):
                out.append(pos)
        pos = find(word, pos + n)
    return out


def _matches(rx, text: str, at):
    for pos in at:
        m = rx.match(text, pos)
        if m:
            yield m


def _token_positions(text: str, token: str):
    """Where `token` stands as a whole whitespace-separated chunk of `text`."""
    n, size = len(token), len(text)
    pos = text.find(token)
    while pos >= 0:
        if (pos == 0 or text[pos - 1].isspace()) and (pos + n == size or text[pos + n].isspace()):
            yield pos
        pos = text.find(token, pos + 1)


INITIAL_IN_CHUNK = re.compile(r"[А-ЯЁ]\.")
STREET_ADJ_CHUNK = re.compile(rf"[{UP}][{LO}]{{2,}}(?:ova|eva|ina|ska|вая|ная|ская|цкая)\Z").match
LONE_INITIAL_CHUNK = re.compile(r"[(«\"“]?[A-ZА-ЯЁ]\.(?:[A-ZА-ЯЁ]\.)?[,);:]?\Z").match
# where a day range or an abbreviated date can begin: one or two digits (both date regexes want a
# non-digit after them), not after a digit or a period
DATE_START = re.compile(r"(?<![\d.])\d\d?(?!\d)")
# A day range's dash ("5-6", "5.- 6", "5 -6") sits in a chunk after a digit or a period, or opens
# one, and is followed by a digit or ends it; a lone dash chunk ("5 – 6") is checked in the note.
RANGE_DASH = re.compile(r"(?:(?<=[\d.])|^)[–—\-](?:$|\d)")
LONE_DASHES = frozenset("–—-")
CHUNK_PUNCT = ".,;:()\"'«»“”„"


def _chunk_info(chunk: str, lang: str, d):
    """What a whitespace chunk tells `find`, or None for nothing: its words that start a family
    ((word, families) each), its words that may be lowercase names, its marks ("month": it is a
    month word; "initial": it holds a Cyrillic initial; "dash", "abbr": the part of a day range or
    of an abbreviated date, "5-6", "abr." that lies in one chunk), the offsets in it where a date can
    begin, and (Albanian only, for declined names) the names among its folded letter runs."""
    family_words, lower_words = [], []
    for w in WORD_RE.findall(chunk):
        info = _word_info(w, lang, d)
        if info is not None:
            if info[0]:
                family_words.append((w, info[0]))
            if info[1]:
                lower_words.append(w)
    marks = []
    if chunk.strip(CHUNK_PUNCT).lower() in _month_words(lang):
        marks.append("month")
    if INITIAL_IN_CHUNK.search(chunk):
        marks.append("initial")
    if LONE_INITIAL_CHUNK(chunk):
        marks.append("lone-initial")
    if STREET_ADJ_CHUNK(chunk):
        marks.append("street-adj")
    if chunk[:1].isupper():
        town = chunk.rstrip(CHUNK_PUNCT)
        if town.isalpha() and _is_place_word(town, lang, d):
            marks.append("town:" + town)
    if chunk in LONE_DASHES:
        marks.append("lone-dash")
    elif RANGE_DASH.search(chunk):
        marks.append("dash")
    if _abbr_month(lang).search(chunk):
        marks.append("abbr")
    date_starts = tuple(m.start() for m in DATE_START.finditer(chunk))
    names = frozenset(map(fold, LETTERS.findall(chunk.lower()))) & d["names"] if lang == "sq" else frozenset()
    if not (family_words or lower_words or marks or date_starts or names):
        return None
    return tuple(family_words), tuple(lower_words), tuple(marks), date_starts, names


def _token_positions(text: str, token: str) -> list[int]:
    """Where `token` stands as a whole whitespace-separated chunk of `text`."""
    out = []
    n, size = len(token), len(text)
    pos = text.find(token)
    while pos >= 0:
        if (pos == 0 or text[pos - 1].isspace()) and (pos + n == size or text[pos + n].isspace()):
            out.append(pos)
        pos = text.find(token, pos + 1)
    return out


def _range_around_lone_dash(text: str) -> bool:
    """Does a lone dash chunk stand as a day range's dash, "5 – 6": one space each side, a digit
    or a period before, a digit after?"""
    for dash in LONE_DASHES:
        for p in _token_positions(text, dash):
            if p >= 2 and text[p - 1] in " \u00a0" and (text[p - 2] == "." or text[p - 2].isdecimal()) \
                    and p + 2 < len(text) and text[p + 1] in " \u00a0" and text[p + 2].isdecimal():
                return True
    return False


def _finditer_at(rx, text: str, starts: list[int], hits: list[Hit], kind: str, score: float, reason: str) -> None:
    """Hits for rx.finditer(text), for a pattern that can only match at `starts` (sorted): the same
    non-overlapping matches, tried only there."""
    resume = 0
    for pos in starts:
        if pos >= resume:
            m = rx.match(text, pos)
            if m:
                hits.append((m.start(), m.end(), kind, score, reason))
                resume = m.end()


LOWER_LETTER = re.compile(rf"[{LO}]").match


def _place_nouns(text: str, rx, nouns: list[int]):
    """rx.finditer(text) for rx["place_after"] ("kamberovica polja"), tried only where it can
    match: a match is the whole lowercase word before the spaces before one of its place nouns."""
    resume = 0
    for q in nouns:
        start = q
        while start and text[start - 1] in " \u00a0":
            start -= 1
        if start == q:
            continue
        while start and LOWER_LETTER(text, start - 1):
            start -= 1
        if start >= resume:
            m = rx.match(text, start)
            if m:
                yield m
                resume = m.end()


# a lone initial for a person: set off by commas or a bracket ("a student, E. (…)", ", A.M.,"),
# or after a kinship or role word ("her friend E.", "la Sra. M.", "подруга А.")
LONE_INITIAL = re.compile(r"[A-ZА-ЯЁ](?<![\w.][A-ZА-ЯЁ])\.(?:[ \u00a0]?[A-ZА-ЯЁ]\.)?(?![\w])")
ROLE_BEFORE = re.compile(r"(?i:(?<![\w.])(?:friend|sister|brother|cousin|mother|father|aunt|uncle|boyfriend|girlfriend|"
                         r"ms\.|mr\.|mrs\.|miss|sra\.|sr\.|srta\.|amiga|amigo|prima|primo|hermana|hermano|novio|novia|"
                         r"mamá|mama|papá|tía|tia|tío|tio|prietena|prietenul|prieten|sora|fratele|verișoara|verisoara|"
                         r"iubitul|mătușa|matusa|d-na|dna\.|dl\.|shoqja|shoqe|shoku|motra|vëllai|vellai|kushërira|kusherira|"
                         r"prijateljica|prijatelj|sestra|brat|dečko|decko|djevojka|rođak|rodjak|rođaka|tetka|"
                         r"подруга|подруги|друг|сестра|брат|парень|девушка|тётя|тетя|мама|одноклассница|одноклассник))"
                         r"[ \u00a0]+\Z")
NOT_INITIALS = frozenset("U.S. U.K. E.U. S.A. C.V. S.R.L. A.C. D.C. U.N. N.B. P.S.".split())


def _lone_initials(text: str, hits: list[Hit]) -> None:
    for m in LONE_INITIAL.finditer(text):
        ini = m.group()
        if ini.replace(" ", "") in NOT_INITIALS:
            continue
        before = text[max(0, m.start() - 20):m.start()]
        after = text[m.end():m.end() + 3].lstrip(" \u00a0")
        appositive = (before.endswith((", ", ",\u00a0", "(")) and (after[:1] in (",", "(", ")", ";"))
                      and not LONE_INITIAL.search(before.rstrip(", (")[-3:] + " "))
        if appositive or ROLE_BEFORE.search(before):
            hits.append((m.start(), m.end(), "PERSON", 0.5, "phrase:lone-initial"))


HAS_DIGIT = re.compile(r"\d").search
QUOTE_CHARS = re.compile(r'["“„«]').search
STREET_ADJ = re.compile(rf"[{UP}](?<![\w.][{UP}])([{LO}]{{2,}}(?:ova|eva|ina|ska|ićeva|вая|ная|ская|цкая))"
                        rf"[ \u00a0]\d{{1,3}}[a-zA-Z]?(?![\w.,/:]?\d)(?![\w%])")
QUOTED_TOWN_BEFORE = re.compile(rf"({QUOTED}){SP}+({CAPNAME})\Z")


def find(text: str, lang: str) -> list[Hit]:
    hits: list[Hit] = []
    if not text:
        return hits
    d = _lang_data(lang)
    rx = _compiled()
    # whitespace-separated chunks (a C-speed split); each chunk's verdict is cached per language.
    # Set methods take the list as it is: no set of the note's chunks is built unless one is new.
    chunks = text.split()
    seen, pos_info, pos_keys = d["seen"], d["pos"], d["pos_keys"]
    uncached = {}  # chunks with something to say, once the cache is full
    if not seen.issuperset(chunks):
        for chunk in set(chunks).difference(seen):
            info = _chunk_info(chunk, lang, d)
            if info is None:
                if len(seen) < 300_000 + len(pos_keys):  # at most 300,000 negatives are kept
                    seen.add(chunk)
            elif len(pos_keys) < 300_000:
                pos_info[chunk] = info
                pos_keys.add(chunk)
                seen.add(chunk)
            else:
                uncached[chunk] = info
    at: dict[str, list[int]] = {}
    lower_words: set[str] = set()
    family_words: set[str] = set()
    note_names: set[str] = set()
    marks: set[str] = set()
    date_chunks = []
    for chunk in chain(pos_keys.intersection(chunks), uncached):
        chunk_family_words, chunk_lower_words, chunk_marks, date_starts, names = pos_info.get(chunk) or uncached[chunk]
        if chunk_lower_words:
            lower_words.update(chunk_lower_words)
        if chunk_marks:
            marks.update(chunk_marks)
        if date_starts:
            date_chunks.append((chunk, date_starts))
        if names:
            note_names |= names
        for w, fams in chunk_family_words:
            if w not in family_words:
                family_words.add(w)
                ps = _positions(text, w)
                for fam in fams:
                    at.setdefault(fam, []).extend(ps)
    if "I.E" in text or "I. E" in text:  # Peruvian schools: "I.E. N.° 1182"
        at.setdefault("school", []).extend(_positions(text, "I"))
    for fam in at:
        at[fam] = sorted(set(at[fam]))
    if "business" in at:
        _business(text, rx["business"], at["business"], d, hits, "ORG", "phrase:business")
    if "named" in at:
        _business(text, rx["named"], at["named"], d, hits, "ORG", "phrase:named-org")
    if "school" in at:
        _schools(text, rx["school"], at["school"], lang, d, hits)
    if "religious" in at:
        _religious(text, rx["religious"], at["religious"], lang, d, hits)
    if "office" in at:
        _offices(text, rx["office"], at["office"], lang, d, hits)
    if "street" in at:
        _streets(text, rx["street"], at["street"], lang, d, hits)
    if "place_after" in at:
        for m in _place_nouns(text, rx["place_after"], at["place_after"]):
            f = fold(m.group(1))
            if f not in d["common"] and f not in STOP_LOWER:
                hits.append((m.start(), m.end(), "PLACE", 0.5, "phrase:place-noun"))
    # initials ("А. Б.") lie inside chunks holding a capital and a period
    if "initial" in marks:
        for m in rx["initials"].finditer(text):
            hits.append((m.start(), m.end(), "PERSON", 0.6, "phrase:initials"))
    if "lone-initial" in marks:
        _lone_initials(text, hits)
    # a street adjective and a house number, no cue: "Onešćukova 24", "Садовая 21"
    if "street-adj" in marks and date_chunks or "street-adj" in marks and HAS_DIGIT(text):
        for m in STREET_ADJ.finditer(text):
            if UNIT_AFTER.match(text, m.end()) or fold(m.group(1)) in d["names"] or fold(m.group(1)) in d["common"]:
                continue
            hits.append((m.start(), m.end(), "PLACE", 0.5, "phrase:street-adjective"))
    # a quoted name and the town it is in: '"Dječji osmijeh" Bihać'
    towns = [m[5:] for m in marks if m.startswith("town:")]
    if towns:
        for town in towns:
            for p in _positions(text, town):
                if p >= 3 and text[p - 1] in " \u00a0" and text[p - 2] in CLOSE_Q:
                    m = QUOTED_TOWN_BEFORE.search(text, max(0, p - 45), p + len(town))
                    if m and _quote_ok(m.group(1)) and not _sentence_start(text, m.start(2)):
                        hits.append((m.start(), m.end(), "ORG", 0.5, "phrase:quoted-town"))
    # dates need a month word in the note, begin only where a chunk's digit run begins, and a day
    # range needs its dash, an abbreviated date its "abr."
    if "lone-dash" in marks and "dash" not in marks and _range_around_lone_dash(text):
        marks.add("dash")
    if "month" in marks and date_chunks and ("dash" in marks or "abbr" in marks):
        starts = sorted({p + off for chunk, offs in date_chunks for p in _token_positions(text, chunk) for off in offs})
        rng, ab = _date_regexes(lang)
        if "dash" in marks:
            _finditer_at(rng, text, starts, hits, "DATE", 0.7, "phrase:date")
        if "abbr" in marks:
            _finditer_at(ab, text, starts, hits, "DATE", 0.7, "phrase:date")
    if lower_words:
        _lowercase(text, note_names, lower_words, lang, d, hits)
    return hits


@lru_cache(maxsize=None)
def _abbr_month(lang: str):
    """An abbreviated month and its period, as the abbreviated-date regex spells it."""
    name_lang = vocab.NAME_LANG.get(lang, lang)
    abbr = {w for key in {name_lang, "en"} for w in MONTH_ABBR.get(key, "").split()}
    return re.compile(rf"(?i:(?:{'|'.join(sorted(map(re.escape, abbr), key=len, reverse=True))})\.)")


@lru_cache(maxsize=None)
def _month_words(lang: str) -> frozenset[str]:
    name_lang = vocab.NAME_LANG.get(lang, lang)
    out = set()
    for key in {name_lang, "en"}:
        for w in (vocab.MONTHS.get(key, "") + " " + MONTH_ABBR.get(key, "")).split():
            out.add(w.lower())
    return frozenset(out)

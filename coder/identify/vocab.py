"""Word lists that steer detection: cue words (triggers), decoys that identify no one, and given
names that are also everyday words. Written by hand from general knowledge of the six languages.

All entries are folded (lowercase, no diacritics) when loaded, so write them naturally.
"""

from __future__ import annotations

# Languages and the wordfreq vocabulary each uses (Bosnian/Croatian/Serbian share "sh").
WORDFREQ_LANG = {"es": "es", "en": "en", "ro": "ro", "bs": "sh", "hr": "sh", "sr": "sh", "ru": "ru"}
# Which name lists a language trusts first (its own ambiguity rules apply to them).
NAME_LANG = {"es": "es", "en": "en", "sq": "sq", "ro": "ro", "bs": "sh", "hr": "sh", "sr": "sh", "ru": "ru"}

# Given names and surnames that are also everyday words: flagged only with evidence
# (capitalised inside a sentence, after a cue word, or next to another name).
AMBIGUOUS = {
    "es": """paz luz sol flor rosa consuelo esperanza soledad dolores pilar mercedes rocío amparo victoria cruz
        blanca ángel ángeles concepción asunción rosario socorro gloria alegría milagros remedios reyes estrella
        aurora alba lucero cielo nieves fe caridad salvador santos leal franco clemente justo modesto amado reina
        perla dulce iris celeste norma alma azucena margarita jazmín jacinto inocencia domingo julio nena memo
        nacho chucho vale luna vega sierra rivera torres flores campos fuentes ríos montes castillo león mora
        rubio moreno delgado bravo duque parra pinto villa salas rojas ramos paredes serrano cano peña robles
        soto lozano cortés gallego barrera barrios caballero espinosa guerrero miranda montenegro morales
        salinas castaño ángulo hurtado salgado gallardo tapia garza cadena corona limón granados hoyos mina
        cuero llanos puma inca santana medina leyva galindo sandoval nava lugo nina tito laura mar cabello
        lima gil lara arce pari ponce correa estrada pacheco valle vera marina dora sara tomás pascual""",
    "en": """hope grace faith will may june april august mark bill rose joy amber ruby crystal dawn summer autumn
        holly ivy lily daisy violet jack frank rich bob sandy dusty rusty buck chase drew hunter grant
        young white green brown black king hill wood ward bell cook price hunt reed rogers shaw mason baker
        parker turner walker fisher foster gray butler cooper long lane page rich sterling victoria
        patience prudence charity august carol""",
    "ro": """aurora victoria speranța doina crina floare lumința flori mioara popa barbu preda marin bucur
        apostol vrabie cucu stan""",
    "sh": """nada vesna zora mira mirna sanja ljubica rada zlata slava ruža ljubav jasmin luka kovač""",
    "ru": """вера надежда любовь роза лилия слава мир нина лев""",
    "sq": "",
}

# Cue words, folded. After these a capitalised word (or a known name, even lowercase) is a person.
PERSON_CUES = set("""
    don doña dona señor señora sr sra srta srita lic licenciada licenciado dr dra doctor doctora ing profe profesor
    profesora maestra maestro tía tío tia tio prima primo abuela abuelo abuelita abuelito mamá papá madre padre
    hermana hermano hermanita hermanito novio novia exnovio exnovia amiga amigo vecina vecino esposo esposa
    pareja hija hijo sobrina sobrino cuñada cuñado padrastro madrastra compañera compañero oficial agente
    psicóloga psicólogo abogada abogado fiscal jueza juez trabajadora trabajador llama llamaba llamado llamada
    alias apodo apodado apodada apodaban dicen decían decía decian decia hacía hacia apellido apellidos nombre llamarla llamarle llamarse llamar
    llamaban llamaba llaman conocido conocida
    aunt uncle cousin grandmother grandfather grandma grandpa mother father mum mom dad sister brother
    boyfriend girlfriend friend neighbour neighbor husband wife partner daughter son niece nephew stepfather
    stepmother officer agent psychologist lawyer prosecutor judge teacher counsellor counselor mr mrs ms miss
    named called nicknamed nickname alias surname
    teze tezja halla xhaxhai xhaxha daja dajë gjyshja gjyshi gjyshe motra vëllai vellai nëna babai shoqja shoku
    shoqe mikja miku fqinja fqinji burri gruaja djali vajza e-dashura i-dashuri kushëriri kushërira mësuesja
    mësuesi psikologia psikologu psikologe avokatja avokati prokurori polici policja zonja zoti znj zj quhet quhej emrin
    quanin thërrisnin thërrasin
    emri mbiemri mbiemrin
    mătușa mătușă unchiul verișoara vărul bunica bunicul mama tata sora fratele iubitul iubita prietena prietenul
    vecina vecinul soțul soția fiica fiul profesoara profesorul dirigintele diriginta psihologa psihologul avocata
    avocatul procurorul polițistul polițista doamna domnul dna dl numește numea cheamă chema porecla numele
    tetka tetak ujak ujna strina stric rođaka rođak sestrična bratić baka djed majka otac mama tata sestra brat
    dečko djevojka prijateljica prijatelj komšinica komšija muž supruga sin kći kćerka nastavnica nastavnik
    razrednica razrednik psihologica psiholog advokatica advokat tužiteljica tužilac policajac policajka gospođa
    gospodin zove zvao zvala nadimak ime prezime
    тётя тетя дядя двоюродная бабушка дедушка мама папа сестра брат парень девушка подруга друг соседка сосед
    муж жена дочь сын учительница учитель психолог адвокат следователь прокурор зовут звали прозвище имя фамилия
""".split())

# Cue words before a place name (capitalised run, or a number for streets).
PLACE_CUES = set("""
    calle c carrera cra kr avenida av avda jirón jiron jr pasaje psje colonia col barrio vereda corregimiento
    localidad comuna municipio pueblo ciudad asentamiento aahh urbanización urb sector distrito provincia
    departamento estado manzana mz lote cerro caserío caserio anexo comunidad mercado plaza parque fraccionamiento
    fracc unidad habitacional delegación alcaldía
    paseo ronda carretera ctra glorieta travesía camino plazuela
    street st road rd avenue ave lane drive boulevard neighbourhood neighborhood district village town city
    square park market estate
    rruga rr rrugës rrugën lagjja lagja lagjen lagjes lagjia lagje fshati fshatin fshatit qyteti qytetin qytetit
    bulevardi bulevardin sheshi sheshin bashkia njësia
    strada str bulevardul bd bdul șoseaua soseaua aleea sectorul satul satului orașul orasul raionul comuna
    municipiul cartierul piața piata
    ulica ul ulici ulicu naselje naselju naselja selo selu grad gradu opština općina opštini općini kanton
    trg trgu mahala mahali četvrt
    улица ул улице проспект пр переулок село селе район районе город городе посёлок поселок деревня
""".split())

SCHOOL_CUES = set("""
    colegio escuela liceo instituto secundaria preparatoria prepa primaria universidad univ facultad i.e ie
    iep cetis cbtis conalep cecyt normal academia
    school college university academy
    shkolla shkollën shkollës shkolle gjimnazi gjimnazin gjimnazit universiteti universitetin universitetit
    liceul liceului colegiul colegiului gimnaziul gimnaziului școala scoala școlii scolii universitatea
    universității
    škola školu školi skola gimnazija gimnaziju gimnaziji univerzitet univerzitetu fakultet fakultetu
    школа школе школу гимназия лицей колледж университет
""".split())

ORG_CUES = set("""
    comisaría comisaria demuna cem centro parroquia iglesia templo capilla panadería papelería tienda abarrotes
    farmacia restaurante restaurant cafetería café bar discoteca hotel hostal taller empresa fábrica club
    gimnasio radio periódico noticias canal fundación asociación albergue casa hogar clínica hospital
    posta consultorio oficina juzgado fiscalía
    church shop store cafe pub club company factory restaurant hotel clinic hospital salon gym
    komisariati komisariatin komisariatit drejtoria drejtorinë drejtorisë kisha kishën xhamia xhaminë dyqani
    dyqanin kafe kafeneja restoranti klubi klubin spitali qendra qendrën gjykata gjykatën gjykatës
    biserica bisericii magazinul cafeneaua restaurantul clubul spitalul centrul centrului procuratura
    procuraturii judecătoria firma compania
    inspectoratul inspectoratului comisariatul comisariatului postul secția secţia sectia direcția directia
    centar centru crkva crkvi džamija džamiji prodavnica trgovina kafić kafana restoran klub bolnica dom
    udruženje firma sud sudu tužilaštvo stanica stanici stanicu uprava upravi
    церковь магазин кафе ресторан клуб больница центр
""".split())

# Cue words before a case or file number, ID or plate.
ID_CUES = set("""
    expediente exp carpeta caso folio radicado denuncia noticia matrícula matricula placa placas dni cédula cedula
    curp rfc tarjeta pasaporte número numero núm num no nº n°
    case file number passport plate id
    dosja dosjes çështja nr numri targa targën pasaporta
    dosar dosarul dosarului număr numărul buletin idnp cnp
    predmet predmetu broj br jmbg tablice registarske
    дело номер паспорт
""".split())

# Words before a year that make it a date of birth.
BIRTH_CUES = set("""
    nació nacio nacida nacido born lindur lindi lindura născută născut nascuta nascut rođena rođen rodjena
    rođenа рождения родилась родился
""".split())

MONTHS = {
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre"
          " ene feb mar abr may jun jul ago sep sept set oct nov dic",
    "en": "january february march april may june july august september october november december"
          " jan feb mar apr jun jul aug sep sept oct nov dec",
    "sq": "janar shkurt mars prill maj qershor korrik gusht shtator tetor nëntor dhjetor janari shkurti marsi"
          " prilli maji qershori korriku gushti shtatori tetori nëntori dhjetori janarit shkurtit marsit prillit"
          " majit qershorit korrikut gushtit shtatorit tetorit nëntorit dhjetorit",
    "ro": "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie"
          " ian febr mart apr iun iul aug sept oct noi nov dec",
    "sh": "januar februar mart april maj juni jun juli jul august septembar oktobar novembar decembar januara"
          " februara marta aprila maja juna jula augusta septembra oktobra novembra decembra siječanj veljača"
          " ožujak travanj svibanj lipanj srpanj kolovoz rujan listopad studeni prosinac siječnja veljače ožujka"
          " travnja svibnja lipnja srpnja kolovoza rujna listopada studenog studenoga prosinca septembar"
          " septembra oktobra novembra decembra avgust avgusta avgustu augustu januaru februaru martu aprilu"
          " maju junu julu septembru oktobru novembru decembru juna jula jun. jul. avg aug okt dec sep"
          " januarom siječnju veljači ožujku travnju svibnju lipnju srpnju kolovozu rujnu listopadu studenom"
          " prosincu",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря январь февраль"
          " март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
}

WEEKDAYS = """lunes martes miércoles jueves viernes sábado domingo monday tuesday wednesday thursday friday
    saturday sunday hënë martë mërkurë enjte premte shtunë diel luni marți miercuri joi vineri sâmbătă
    duminică ponedjeljak utorak srijeda srida četvrtak petak subota nedjelja nedelja понедельник вторник
    среда четверг пятница суббота воскресенье"""

# Words that name no one and locate no one: countries, nationalities, languages, platforms,
# national institutions and programmes, generic capitalised words of notes.
DECOY_WORDS = set("""
    méxico mexico colombia perú peru perù albania albanien shqipëri shqipëria shqipërisë shqipërinë moldova moldovei
    moldovа republica bosnia herzegovina hercegovina bosna bih bosne bosni bosnu hrvatska croatia srbija serbia
    rumania romania românia româniei românia românia rusia russia rossiya россия молдова молдавия kosovo kosova
    kosovë italia italy italija italien itali greqi greece grecia grčka españa spain spanja spania spanija
    estados unidos usa ee.uu eeuu eua america américa ecuador venezuela chile argentina bolivia brasil brazil
    guatemala panamá panama honduras cuba ucraina ukraine ucrania украина turqi turkey turcia turska njemačka
    germany alemania gjermani germania deutschland france francia francë franța francuska austria austrija
    europa europe evropa europa ue eu mexicana mexicano mexicanos mexicanas colombiana colombiano colombianos
    peruana peruano peruanos albanese albanian albanesa albanés shqiptar shqiptare shqiptarë shqiptarët
    moldovean moldoveancă moldoveni moldovenesc moldovan bosnian bosanac bosanka bosanski bosansko bosanska
    bošnjak bošnjakinja hrvat hrvatica srbin srpkinja croatian serbian romanian român română românesc rus
    rusă russian русский русская venezolana venezolano venezolanos italian italiano english inglés spanish
    español española castellano quechua aimara aymara
    facebook messenger whatsapp instagram tiktok telegram snapchat twitter youtube google gmail hotmail outlook
    yahoo viber signal discord skype zoom omegle tinder onlyfans vk vkontakte odnoklassniki ok.ru reddit вконтакте одноклассники телеграм инстаграм ватсап вайбер тикток фейсбук
    twitch roblox fortnite free fire pinterest linkedin tumblr kik wechat line threads imo badoo grindr
    bumble netflix internet covid covid-19 coronavirus iphone android samsung huawei xiaomi pc ai
    policía policia fiscalía fiscalia defensoría defensoria procuraduría procuraduria icbf dif sipinna
    demuna cem mimp minjus mininter pnp ministerio minsa essalud sis inabif unicef ecpat onu un oim iom acnur
    unhcr ong ngo oea cepal save the children plan world vision ong's crca alo linja prokuroria prokurorisë
    prokurorinë policia policisë policinë policinë asp ministria bashkia gjykata gjykatës avokati avokatit
    procuratura procuraturii poliția politia poliției igp inspectoratul ministerul cnpac la strada lastrada
    centrul ombudsmanul avocatul copilului telefonul copilului tužilaštvo tužilastvo policija policije
    policiji sipa mup centar ministarstvo ombudsman institucija unija unicef-a sud suda sudu полиция прокуратура
    cnaa cncc sie fgr fge ssc ssp conavim inmujeres inm sat imss issste fgj
    moldcell moldtelecom orange unite vodafone telekom telcel movistar claro entel bitel tigo bh-telecom m:tel
    colpensiones sisbén sisben registraduría registraduria uri cai sijin dijin gaula dni reniec sunat
    министерство министерства мвд мчс одноклассники одноклассниках вконтакте
    fiscal-ía ley ley-olimpia olimpia línea linea te protejo teprotejo
    p.s ps nb
""".split())

# Multi-word decoys (folded): national bodies, programmes and laws that locate no one.
DECOY_PHRASES = set(x.strip() for x in """
    policía nacional
    policía nacional del perú
    policía nacional de colombia
    policía federal
    guardia nacional
    fiscalía general
    fiscalía general de la nación
    fiscalía general de la república
    fiscalía de la nación
    ministerio público
    ministerio de la mujer
    defensoría del pueblo
    bienestar familiar
    instituto colombiano de bienestar familiar
    medicina legal
    centro emergencia mujer
    centros emergencia mujer
    línea 100
    línea 141
    línea 911
    te protejo
    ley olimpia
    save the children
    world vision
    plan international
    terre des hommes
    la strada
    telefonul copilului
    telefonul copilului 116 111
    policia e shtetit
    policia shqiptare
    policia e shqipërisë
    prokuroria e përgjithshme
    linja alo 116
    alo 116
    alo 116 111
    inspectoratul general al poliției
    centrul național de prevenire a abuzului față de copii
    procuratura generală
    ministarstvo unutrašnjih poslova
    ministarstvo sigurnosti
    državna agencija za istrage i zaštitu
    federalna uprava policije
    plavi telefon
    child helpline
    national police
    cyber police
    family court
    prosecutor's office
    public prosecutor's office
    data protection
    state police
    comisaría de familia
    comisarías de familia
    centre for social work
    center for social work
    social work
    centar za socijalni rad
""".strip().splitlines())

# Form fields whose value identifies someone: "Nombre: Marc", "Domicilio: Av. Litoral, 30".
FIELD_LABELS = {
    "PERSON": """nombre nombres apellido apellidos paciente médico medico doctor doctora facilitadora facilitador
        entrevistadora entrevistador psicóloga psicólogo name surname patient facilitator interviewer emri mbiemri
        lehtësuese lehtësues intervistuese numele prenumele facilitatoare facilitator ime prezime
        ispitivač ispitivačica voditeljica voditelj имя фамилия""",
    "PLACE": """domicilio dirección direccion localidad provincia municipio ciudad barrio colonia vereda distrito
        address city town village residence adresa adresa vendbanimi qyteti fshati adresă localitatea
        localitate orașul satul raionul prebivalište mjesto grad адрес город село""",
    "SCHOOL": """colegio escuela school shkolla școala scoala škola школа""",
}

# Helplines, never flagged as numbers.
HELPLINES = {"116111", "116000", "116006", "116123", "911", "112", "141", "100", "129", "192", "117", "122",
             "080011", "0800", "1800", "123", "124", "1480",
             "080050305"}  # the last: Bosnia and Herzegovina's children's helpline, 080 05 03 05

# Titles written with a period that do not end a sentence.
ABBREVIATIONS = set("""dr dra sr sra srta lic ing prof mr mrs ms st av avda jr str nr no núm num bd bdul ul znj zj
    sta sto gral col fracc mz psje cra kr calle esq dna dl gosp br tel cel""".split())

# Initials that are not people.
NON_PERSON_INITIALS = set("""i.e ie ee.uu e.u u.s u.k s.a c.p a.c s.a.c s.r.l o.k a.m p.m e.g n.b p.s d.f
    c.v s.c i.p v.s""".split())

# Connectors allowed inside a multi-word name ("Comisaría de Familia de Usme", "Rruga e Kavajës").
CONNECTORS = set("""de del la las los el y e i di da do dos van von der al ál și si cu din lui a të së cel cea
    чел дин луй
    za na u od iz и на в де""".split())

# Head nouns of organisations and schools, in their case forms. A named place, organisation or
# person right after one of them is that institution's name, and the head noun belongs to the flag
# ("pekari Kod Bake Zlate", "kafića Pepermint", "Dnevnog centra X", "лицее имени X").
ORG_HEADS = set("""
    dom doma domu domom cafenea cafeneaua cafenelei cafeneja kafenea kafeneja
    tienda abarrotes miscelánea miscelanea cafetería papelería
    xhamia xhaminë xhamisë kisha kishën kishës biserica bisericii mănăstirea manastirea iglesia parroquia
    panadería panaderia tienda café cafetería bar restaurante salón salon estética peluquería gimnasio club
    centro fundación asociación iglesia parroquia taller empresa fábrica hotel hostal clínica hospital
    comisaría comisaria oficina juzgado fiscalía inspección estación albergue farmacia mercado
    bakery shop store cafe café bar restaurant salon gym club centre center foundation association church
    office station branch shelter clinic hospital hotel company firm
    pekara pekare pekari pekaru pekarom kafić kafića kafiću kafićem kafana kafane kafani kafanu klub kluba klubu
    klubom centar centra centru centrom salon salona salonu salonom udruženje udruženja udruženju udruženjem
    udruga udruge udruzi udrugu prodavnica prodavnice prodavnici prodavnicu trgovina trgovine trgovini trgovinu
    radnja radnje radnji radnju teretana teretane teretani teretanu restoran restorana restoranu stanica stanice
    stanici stanicu ps crkva crkve crkvi crkvu džamija džamije džamiji džamiju firma firme firmi firmu
    bolnica bolnice bolnici bolnicu ambulanta ambulante ambulanti ambulantu hotel hotela hotelu
    komisariati komisariatin komisariatit komisariatë prokuroria prokurorinë prokurorisë drejtoria drejtorinë
    drejtorisë qendra qendrën qendrës qendër klubi klubin klubit kafe kafeneja kafenenë kafenesë dyqani
    dyqanin dyqanit furra furrën furrës palestra palestrën palestrës sallon salloni sallonin sallonit
    shoqata shoqatën shoqatës kisha kishën kishës xhamia xhaminë xhamisë spitali spitalin spitalit
    inspectoratul inspectoratului comisariatul comisariatului secția sectia secției sectiei postul postului
    centrul centrului asociația asociatia asociației asociatiei cafeneaua cafenelei brutăria brutaria brutăriei
    salonul salonului clubul clubului magazinul magazinului restaurantul restaurantului biserica bisericii
    spitalul spitalului firma firmei procuratura procuraturii sala salii
    центр центра центре центру центром ассоциация ассоциации ассоциацию ассоциацией инспекторат инспектората
    инспекторате комиссариат комиссариата комиссариате отдел отдела отделе отделение отделения отделении
    кафе клуб клуба клубе магазин магазина магазине салон салона салоне пекарня пекарни пекарню
    фонд фонда фонде организация организации церковь церкви больница больницы больнице прокуратура прокуратуры
    прокуратуре
    sede filial sucursal seccional delegación dega degën degës dege zyra zyrën zyrës filiala filialei sucursala
    sucursalei podružnica podružnice podružnici podružnicu ogranak ogranka ogranku ured ureda uredu kancelarija
    kancelarije kancelariji филиал филиала филиале отделении управление управления управлении
""".split())

SCHOOL_HEADS = set("""
    colegio escuela liceo instituto secundaria preparatoria primaria universidad academia
    school college university academy lyceum gymnasium
    škola škole školi školu školom gimnazija gimnazije gimnaziji gimnaziju gimnazijom fakultet fakulteta
    fakultetu univerzitet univerziteta univerzitetu
    shkolla shkollën shkollës shkollen shkolles shkolle gjimnazi gjimnazin gjimnazit universiteti
    universitetin universitetit
    liceul liceului liceu gimnaziul gimnaziului școala scoala școlii scolii colegiul colegiului
    universitatea universității
    школа школы школе школу школой лицей лицея лицее лицею лицеем гимназия гимназии гимназию гимназией
    колледж колледжа колледже университет университета университете
""".split())

# Words between a head noun and the name ("Inspectoratul de Poliție X", "Prokuroria e Korçës",
# "лицей имени X", "школа № 6", "Komisariati nr. 4").
HEAD_CONNECTORS = set("""de del e i të së și si a al of for za имени им. № nr nr. no no. br br.""".split())

# Role nouns and everyday words of these notes, all case forms: capitalised at the start of a
# sentence they name no one ("Razrednica je…", "Facilitadora:", "Debrief", "Follow-up").
ROLE_WORDS = set("""
    facilitadora facilitador facilitadoras facilitadores maestra maestro docente profesora profesor orientadora
    orientador psicóloga psicólogo trabajadora trabajador agresor agresora perpetrador victimario víctima
    participante entrevistadora entrevistador tutora tutor directora director coordinadora coordinador
    seguimiento acuerdos observaciones cierre
    facilitator facilitators teacher teachers counsellor counselor psychologist perpetrator offender victim
    participant interviewer coordinator caseworker debrief debriefing follow-up followup notes summary
    she he they her his
    facilitatoare facilitatoarea facilitatorul facilitator diriginta dirigintele diriginte dirigintă profesoara
    profesorul învățătoarea învățătorul psihologa psihologul agresorul agresoarea făptașul făptaşul victima
    participanta participantul coordonatoarea coordonatorul asistenta asistentul
    razrednica razrednice razrednici razrednicu razrednicom razrednik razrednika razredniku razrednikom
    pedagoginja pedagoginje pedagoginji pedagoginju pedagoginjom pedagog pedagoga pedagogu pedagogom
    psihologinja psihologinje psihologinji psihologica psihologice psiholog psihologa psihologu nastavnica
    nastavnice nastavnici nastavnicu nastavnik nastavnika nastavniku direktorica direktor direktora
    počinilac počinioca počiniocu počiniocem počinitelj počinitelja počinitelju počiniteljica počiniteljice
    žrtva žrtve žrtvi žrtvu učesnica učesnice učesnik učesnika voditeljica voditeljice voditelj voditelja
    facilitatorica facilitatorice facilitatoru socijalna radnica radnica radnik
    kod nakon prije poslije tokom tijekom zbog
    фасилитатор фасилитатора фасилитатору фасилитатором учительница учительницы учитель учителя классная
    руководительница психолог психолога преступник преступника агрессор агрессора жертва жертвы участница
    участник министерство министерства министерстве министерству
""".split())

# Russian country names in their case forms: they locate no one
RUSSIAN_COUNTRIES = """италия турция германия франция испания румыния греция англия польша чехия украина россия
    молдова молдавия беларусь белоруссия израиль кипр сша америка европа португалия австрия бельгия ирландия
    великобритания""".split()

# Words of national institutions, laws and offices, all case forms: capitalised inside a sentence
# they name a national body or a law ("Ligji për Mbrojtjen e të Dhënave Personale"), not a person.
INSTITUTION_WORDS = set("""
    ligj ligji ligjin ligjit ligjet ligjeve neni nenin nenit drejtori drejtoria drejtorinë drejtorisë 
    drejtorive drejtor drejtori drejtorin drejtorit drejtoresha komisioner komisioneri komisionerin 
    komisionerit komisioni komisionin komisionit prokuror prokurori prokurorin prokurorit prokurorja 
    prokuroria prokurorinë prokurorisë gjyqtar gjyqtari gjyqtarja gjykatë gjykata gjykatën gjykatës 
    ministri ministria ministrinë ministrisë ministër ministri agjencia agjencinë agjencisë autoriteti 
    autoritetin autoritetit inspektorati inspektoratin inspektoratit njësi njësia njësinë njësisë 
    sektori sektorin sektorit departamenti departamentin departamentit zyra zyrën zyrës zyrat shërbimi 
    shërbimin shërbimit shërbimet shërbimeve qendra qendrën qendrës qendrat bashkia bashkinë bashkisë 
    këshilli këshillin këshillit kuvendi kuvendin kuvendit policia policinë policisë polici policit 
    policët arsim arsimi arsimin arsimit arsimor arsimore shëndetësi shëndetësisë mbrojtje mbrojtja 
    mbrojtjen mbrojtjes mbrojtjeje të-dhëna të-dhënat të-dhënave dhëna dhënat dhënave drejtë drejta 
    drejtën drejtës drejtat drejtave informim informimi informimin informimit fëmijë fëmija fëmijën 
    fëmijës fëmijët fëmijëve fëmijëri mirëqenie mirëqenien mirëqenies sociale social shoqërore shoqëror 
    kombëtar kombëtare kombëtarë shtetit shteti shtetin shtetërore shtetëror publik publike private 
    privat personal personale të-drejtat barazi barazisë dhunë dhuna dhunën dhunës abuzim abuzimi 
    abuzimin abuzimit trafikim trafikimi trafikimit krim krimi krimin krimit krime kibernetik 
    kibernetike viktimë viktima viktimën viktimës viktimat
    ministerio ministerios secretaría procuraduría defensoría instituto comisión consejo dirección
    ministry department commission commissioner council directorate agency authority police prosecutor
    ministerul ministerului agenția agentiei agenției consiliul consiliului direcția direcției autoritatea
    ministarstvo ministarstva ministarstvu agencija agencije agenciji uprava uprave upravi direkcija
    povjerenik povjerenika povjerenica ombudsmen institucija institucije
    министерство министерства агентство агентства управление управления комиссия комиссии совет совета
""".split())

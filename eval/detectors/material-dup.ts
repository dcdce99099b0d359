/**
 * Hand-written material for the duplicate / teacher detector cases (eval/detectors/build-cases-dup.ts).
 *
 * COUNTERFACTUALS: short passages with three slots — {n} a number, {e} a name, {neg} a sentence in
 * its affirmative and its negated form. Filling a slot with its second value gives a legitimate
 * counterfactual hard negative ("opens at 9 a.m." / "opens at 10 a.m.").
 *
 * FALSE_NEGATIVES: per language, a query with a positive that answers it, a negative that answers it
 * too in other words (a false negative), and a negative on the same topic that does not answer it.
 * For de/fr/es/zh/ja/ko the positive is PASSAGES[lang][i] of material.ts (`pos: i`).
 */
import type { Lang } from "./material";

export interface Counterfactual {
  text: string;
  n: [string, string];
  e: [string, string];
  neg: [string, string];
}

export const fillCf = (c: Counterfactual, change?: "n" | "e" | "neg"): string =>
  c.text
    .replace("{n}", c.n[change === "n" ? 1 : 0])
    .replace("{e}", c.e[change === "e" ? 1 : 0])
    .replace("{neg}", c.neg[change === "neg" ? 1 : 0]);

export const COUNTERFACTUALS: Record<Lang, Counterfactual[]> = {
  en: [
    {
      text: "The Riverside public library opens at {n} on weekdays and closes at eight in the evening. It is managed by the {e} city council. {neg} Members may borrow up to ten books and renew them online.",
      n: ["9 a.m.", "10 a.m."],
      e: ["Portland", "Denver"],
      neg: [
        "Parking behind the building is free for visitors.",
        "Parking behind the building is not free for visitors.",
      ],
    },
    {
      text: "Our family recipe for banana bread needs {n} ripe bananas, two eggs and a cup of brown sugar. My grandmother first wrote it down in {e} in the fifties. {neg} Bake it for about an hour until a skewer comes out clean.",
      n: ["3", "4"],
      e: ["Ohio", "Texas"],
      neg: ["The bread can be frozen for a month.", "The bread cannot be frozen for a month."],
    },
    {
      text: "Mount Rainier rises to {n} meters above sea level and is the highest peak of the Cascade Range in {e}. {neg} Climbers usually need two to three days to reach the summit and come back down.",
      n: ["4,392", "4,421"],
      e: ["Washington", "Oregon"],
      neg: [
        "The mountain is considered an active volcano.",
        "The mountain is not considered an active volcano.",
      ],
    },
    {
      text: "The new tram line will connect the central station with the airport in {n} minutes. Construction is financed by the {e} regional government and should end next year. {neg} Tickets will cost the same as on city buses.",
      n: ["25", "35"],
      e: ["Bavarian", "Saxon"],
      neg: [
        "Trams will run through the night on weekends.",
        "Trams will never run through the night on weekends.",
      ],
    },
    {
      text: "Our customer support team answers emails within {n} hours on business days. The team is based in {e} and works in three shifts to cover every time zone. {neg} Premium customers can also request a callback by phone.",
      n: ["24", "48"],
      e: ["Dublin", "Lisbon"],
      neg: ["Support is available on public holidays.", "Support is not available on public holidays."],
    },
    {
      text: "The museum's winter exhibition shows {n} paintings by Dutch masters, most of them on loan from {e}. {neg} Guided tours in English start every hour from the main hall on the ground floor.",
      n: ["120", "85"],
      e: ["Amsterdam", "Rotterdam"],
      neg: ["Photography is allowed in all rooms.", "Photography is not allowed in all rooms."],
    },
  ],
  de: [
    {
      text: "Das Hallenbad am Stadtpark öffnet werktags um {n} Uhr und schließt um einundzwanzig Uhr. Betrieben wird es von den Stadtwerken {e}. {neg} Für Schulklassen gibt es vormittags eigene Bahnen.",
      n: ["7", "8"],
      e: ["Bielefeld", "Paderborn"],
      neg: ["Die Sauna ist im Eintrittspreis enthalten.", "Die Sauna ist nicht im Eintrittspreis enthalten."],
    },
    {
      text: "Für den Apfelkuchen braucht man {n} Äpfel, zweihundert Gramm Mehl und hundert Gramm Butter. Das Rezept stammt von meiner Großmutter aus {e}. {neg} Der Kuchen wird bei mittlerer Hitze etwa eine Stunde gebacken.",
      n: ["6", "8"],
      e: ["Thüringen", "Sachsen"],
      neg: ["Er lässt sich gut einfrieren.", "Er lässt sich nicht gut einfrieren."],
    },
    {
      text: "Die Zugspitze ist mit {n} Metern der höchste Berg Deutschlands und liegt an der Grenze zu {e}. {neg} Von Garmisch aus führen mehrere Wanderwege und eine Zahnradbahn hinauf.",
      n: ["2962", "2954"],
      e: ["Österreich", "Italien"],
      neg: ["Auf dem Gipfel gibt es ein Restaurant.", "Auf dem Gipfel gibt es kein Restaurant."],
    },
    {
      text: "Die neue Straßenbahnlinie verbindet den Hauptbahnhof in {n} Minuten mit dem Flughafen. Finanziert wird der Bau vom Land {e}. {neg} Die Fahrkarten kosten genauso viel wie im Bus.",
      n: ["25", "35"],
      e: ["Bayern", "Hessen"],
      neg: ["Am Wochenende fahren die Bahnen auch nachts.", "Am Wochenende fahren die Bahnen nachts nicht."],
    },
    {
      text: "Unser Kundenservice beantwortet E-Mails an Werktagen innerhalb von {n} Stunden. Das Team sitzt in {e} und arbeitet in drei Schichten. {neg} Premiumkunden können außerdem einen Rückruf anfordern.",
      n: ["24", "48"],
      e: ["Leipzig", "Dresden"],
      neg: [
        "Auch an Feiertagen ist der Service erreichbar.",
        "An Feiertagen ist der Service nicht erreichbar.",
      ],
    },
    {
      text: "Die Winterausstellung des Museums zeigt {n} Gemälde niederländischer Meister, die meisten davon Leihgaben aus {e}. {neg} Führungen beginnen jede Stunde in der Eingangshalle.",
      n: ["120", "85"],
      e: ["Amsterdam", "Utrecht"],
      neg: ["Fotografieren ist in allen Räumen erlaubt.", "Fotografieren ist in keinem Raum erlaubt."],
    },
  ],
  fr: [
    {
      text: "La piscine municipale ouvre à {n} heures en semaine et ferme à vingt et une heures. Elle est gérée par la ville de {e}. {neg} Des lignes d'eau sont réservées aux écoles le matin.",
      n: ["7", "8"],
      e: ["Rennes", "Nantes"],
      neg: [
        "Le sauna est compris dans le prix d'entrée.",
        "Le sauna n'est pas compris dans le prix d'entrée.",
      ],
    },
    {
      text: "Pour la tarte aux pommes, il faut {n} pommes, deux cents grammes de farine et cent grammes de beurre. La recette vient de ma grand-mère, originaire de {e}. {neg} On la fait cuire environ quarante minutes à four moyen.",
      n: ["6", "8"],
      e: ["Bretagne", "Normandie"],
      neg: ["Elle se congèle très bien.", "Elle ne se congèle pas très bien."],
    },
    {
      text: "Le mont Blanc culmine à {n} mètres et se trouve à la frontière entre la France et {e}. {neg} Depuis Chamonix, un téléphérique mène à l'Aiguille du Midi.",
      n: ["4805", "4810"],
      e: ["l'Italie", "la Suisse"],
      neg: [
        "Son ascension est accessible aux randonneurs entraînés.",
        "Son ascension n'est pas accessible aux randonneurs entraînés.",
      ],
    },
    {
      text: "La nouvelle ligne de tramway reliera la gare centrale à l'aéroport en {n} minutes. Les travaux sont financés par la région {e}. {neg} Le ticket coûtera le même prix que dans le bus.",
      n: ["25", "35"],
      e: ["Occitanie", "Bretagne"],
      neg: [
        "Le tramway circulera toute la nuit le week-end.",
        "Le tramway ne circulera jamais la nuit le week-end.",
      ],
    },
    {
      text: "Notre service client répond aux courriels en {n} heures les jours ouvrés. L'équipe est installée à {e} et travaille en trois équipes. {neg} Les clients premium peuvent aussi demander à être rappelés.",
      n: ["24", "48"],
      e: ["Lille", "Lyon"],
      neg: ["Le service est joignable les jours fériés.", "Le service n'est pas joignable les jours fériés."],
    },
    {
      text: "L'exposition d'hiver du musée présente {n} tableaux de maîtres hollandais, prêtés pour la plupart par {e}. {neg} Des visites guidées partent du hall d'entrée toutes les heures.",
      n: ["120", "85"],
      e: ["Amsterdam", "Rotterdam"],
      neg: [
        "Les photos sont autorisées dans toutes les salles.",
        "Les photos ne sont autorisées dans aucune salle.",
      ],
    },
  ],
  es: [
    {
      text: "La piscina municipal abre a las {n} de la mañana entre semana y cierra a las nueve de la noche. La gestiona el ayuntamiento de {e}. {neg} Por la mañana hay calles reservadas para los colegios.",
      n: ["7", "8"],
      e: ["Valladolid", "Salamanca"],
      neg: [
        "La sauna está incluida en el precio de la entrada.",
        "La sauna no está incluida en el precio de la entrada.",
      ],
    },
    {
      text: "Para el bizcocho de limón hacen falta {n} huevos, doscientos gramos de harina y un yogur natural. La receta es de mi abuela, que era de {e}. {neg} Se hornea unos cuarenta minutos a fuego medio.",
      n: ["3", "4"],
      e: ["Asturias", "Galicia"],
      neg: ["Se puede congelar sin problema.", "No se puede congelar sin problema."],
    },
    {
      text: "El Teide alcanza {n} metros de altura y es el pico más alto de {e}. {neg} Un teleférico lleva a los visitantes hasta cerca de la cumbre.",
      n: ["3715", "3718"],
      e: ["España", "Canarias"],
      neg: [
        "Para subir a la cumbre hace falta un permiso.",
        "Para subir a la cumbre no hace falta un permiso.",
      ],
    },
    {
      text: "La nueva línea de tranvía unirá la estación central con el aeropuerto en {n} minutos. Las obras las paga la comunidad de {e}. {neg} El billete costará lo mismo que el del autobús.",
      n: ["25", "35"],
      e: ["Madrid", "Valencia"],
      neg: [
        "Los fines de semana el tranvía circulará toda la noche.",
        "Los fines de semana el tranvía nunca circulará por la noche.",
      ],
    },
    {
      text: "Nuestro servicio de atención al cliente responde los correos en {n} horas en días laborables. El equipo trabaja desde {e} en tres turnos. {neg} Los clientes premium pueden pedir además una llamada.",
      n: ["24", "48"],
      e: ["Sevilla", "Bilbao"],
      neg: ["El servicio atiende también los días festivos.", "El servicio no atiende los días festivos."],
    },
    {
      text: "La exposición de invierno del museo reúne {n} cuadros de maestros holandeses, la mayoría prestados por {e}. {neg} Las visitas guiadas salen del vestíbulo cada hora.",
      n: ["120", "85"],
      e: ["Ámsterdam", "Róterdam"],
      neg: ["Se permite hacer fotos en todas las salas.", "No se permite hacer fotos en ninguna sala."],
    },
  ],
  zh: [
    {
      text: "城东游泳馆工作日早上{n}点开门，晚上九点关门，由{e}市体育局负责管理。{neg}上午有专门为学生保留的泳道。",
      n: ["7", "8"],
      e: ["苏州", "无锡"],
      neg: ["门票包含桑拿服务。", "门票不包含桑拿服务。"],
    },
    {
      text: "做这道红枣发糕需要{n}个鸡蛋、两百克面粉和一小碗红枣。这个方子是奶奶从{e}带来的。{neg}上锅大火蒸三十分钟就可以了。",
      n: ["3", "4"],
      e: ["山西", "陕西"],
      neg: ["做好的发糕可以冷冻保存一个月。", "做好的发糕不能冷冻保存一个月。"],
    },
    {
      text: "黄山主峰莲花峰海拔{n}米，位于{e}南部。{neg}游客可以乘坐索道到达山腰。",
      n: ["1864", "1873"],
      e: ["安徽", "浙江"],
      neg: ["山顶的宾馆全年营业。", "山顶的宾馆冬季不营业。"],
    },
    {
      text: "新建的有轨电车线路从火车站到机场只需{n}分钟，工程由{e}省政府出资建设。{neg}票价和公交车一样。",
      n: ["25", "35"],
      e: ["江苏", "山东"],
      neg: ["周末电车通宵运营。", "周末电车没有通宵运营。"],
    },
    {
      text: "我们的客服团队在工作日{n}小时内回复邮件。团队设在{e}，分三个班次工作。{neg}高级会员还可以申请电话回访。",
      n: ["24", "48"],
      e: ["成都", "重庆"],
      neg: ["节假日也提供客服服务。", "节假日不提供客服服务。"],
    },
    {
      text: "博物馆的冬季特展展出{n}幅荷兰大师的油画，大部分是从{e}借来的。{neg}每个整点都有讲解员在大厅集合带队参观。",
      n: ["120", "85"],
      e: ["阿姆斯特丹", "鹿特丹"],
      neg: ["所有展厅都允许拍照。", "所有展厅都禁止拍照。"],
    },
  ],
  ja: [
    {
      text: "市民プールは平日の朝{n}時に開館し、夜九時に閉館します。運営しているのは{e}市の体育協会です。{neg}午前中は学校向けのコースが用意されています。",
      n: ["7", "8"],
      e: ["仙台", "盛岡"],
      neg: ["サウナは入場料に含まれています。", "サウナは入場料に含まれていません。"],
    },
    {
      text: "このカステラには卵が{n}個、小麦粉が二百グラム、はちみつが大さじ二杯必要です。祖母が{e}で習ったレシピです。{neg}オーブンで四十分ほど焼けば完成です。",
      n: ["4", "5"],
      e: ["長崎", "福岡"],
      neg: ["焼いたカステラは冷凍で一か月保存できます。", "焼いたカステラは冷凍で保存できません。"],
    },
    {
      text: "北岳は標高{n}メートルで、{e}にある日本で二番目に高い山です。{neg}夏には山頂近くの山小屋が営業します。",
      n: ["3193", "3190"],
      e: ["山梨県", "長野県"],
      neg: ["初心者でも日帰りで登ることができます。", "初心者が日帰りで登ることはできません。"],
    },
    {
      text: "新しい路面電車は駅から空港まで{n}分で結びます。建設費は{e}が負担します。{neg}運賃は路線バスと同じです。",
      n: ["25", "35"],
      e: ["富山県", "石川県"],
      neg: ["週末は終夜運転を行います。", "週末も終夜運転は行いません。"],
    },
    {
      text: "当社のサポート窓口は、平日であれば{n}時間以内にメールに返信します。チームは{e}にあり、三交代で対応しています。{neg}プレミアム会員は電話での折り返しも依頼できます。",
      n: ["24", "48"],
      e: ["札幌", "福岡"],
      neg: ["祝日も問い合わせを受け付けています。", "祝日は問い合わせを受け付けていません。"],
    },
    {
      text: "美術館の冬の特別展では、オランダの巨匠による絵画{n}点を展示しています。その多くは{e}から貸し出されたものです。{neg}ガイドツアーは毎時ちょうどにロビーから出発します。",
      n: ["120", "85"],
      e: ["アムステルダム", "ロッテルダム"],
      neg: ["すべての展示室で写真を撮ることができます。", "すべての展示室で写真を撮ることはできません。"],
    },
  ],
  ko: [
    {
      text: "시립 수영장은 평일 오전 {n}시에 문을 열고 오후 아홉 시에 닫습니다. 운영은 {e} 시설관리공단이 맡고 있습니다. {neg} 오전에는 학생을 위한 레인이 따로 있습니다.",
      n: ["7", "8"],
      e: ["대전", "청주"],
      neg: ["사우나는 입장료에 포함되어 있습니다.", "사우나는 입장료에 포함되어 있지 않습니다."],
    },
    {
      text: "이 호박죽을 만들려면 단호박 {n}개와 찹쌀가루 세 숟가락, 설탕 약간이 필요합니다. 할머니가 {e}에서 배워 온 방법입니다. {neg} 약한 불에서 삼십 분 정도 저어 가며 끓이면 됩니다.",
      n: ["2", "3"],
      e: ["강릉", "안동"],
      neg: ["남은 죽은 냉동해 두었다가 먹을 수 있습니다.", "남은 죽은 냉동해 두었다가 먹을 수 없습니다."],
    },
    {
      text: "설악산의 최고봉인 대청봉은 높이가 {n}미터이며 {e}에 있습니다. {neg} 가을에는 단풍을 보러 온 등산객으로 붐빕니다.",
      n: ["1708", "1915"],
      e: ["강원도", "경상북도"],
      neg: ["정상 근처에서 야영을 할 수 있습니다.", "정상 근처에서 야영을 할 수 없습니다."],
    },
    {
      text: "새 노면전차는 중앙역에서 공항까지 {n}분 만에 연결합니다. 공사비는 {e}가 부담합니다. {neg} 요금은 시내버스와 같습니다.",
      n: ["25", "35"],
      e: ["부산시", "대구시"],
      neg: ["주말에는 밤새 운행합니다.", "주말에도 밤에는 운행하지 않습니다."],
    },
    {
      text: "저희 고객센터는 평일 기준 {n}시간 안에 이메일에 답변합니다. 상담팀은 {e}에 있으며 세 교대로 근무합니다. {neg} 프리미엄 회원은 전화 상담도 신청할 수 있습니다.",
      n: ["24", "48"],
      e: ["광주", "울산"],
      neg: ["공휴일에도 문의를 받습니다.", "공휴일에는 문의를 받지 않습니다."],
    },
    {
      text: "미술관의 겨울 특별전에서는 네덜란드 거장들의 그림 {n}점을 전시합니다. 대부분 {e}에서 빌려 온 작품입니다. {neg} 가이드 투어는 매시 정각에 로비에서 출발합니다.",
      n: ["120", "85"],
      e: ["암스테르담", "로테르담"],
      neg: ["모든 전시실에서 사진을 찍을 수 있습니다.", "모든 전시실에서 사진을 찍을 수 없습니다."],
    },
  ],
};

export interface FnItem {
  query: string;
  /** Index into material.ts PASSAGES[lang] (non-English), or the text (English). */
  pos: number | string;
  /** A passage that also answers the query (a false negative). */
  para: string;
  /** A passage on the same topic that does not answer the query. */
  topical: string;
}

export const FALSE_NEGATIVES: Record<Lang, FnItem[]> = {
  en: [
    {
      query: "when does the city library reopen after renovation",
      pos: "The city library reopens on the first Monday in March after two years of renovation. It now has a reading room with forty seats and a children's section on the ground floor. Borrowing stays free for residents, and on Saturdays the library closes at six.",
      para: "After its renovation the city library reopens in early March, on the first Monday of the month.",
      topical:
        "The city library runs a reading hour for children every Tuesday and a book club for adults on Thursdays.",
    },
    {
      query: "how long does sourdough starter need to ferment before baking",
      pos: "Sourdough takes time. The starter, made of rye flour, water and a spoon of old dough, needs to ferment for twelve to sixteen hours at room temperature before baking. Then wheat flour, salt and more water are added and the dough is kneaded well.",
      para: "Before baking, let the sourdough starter ferment for about twelve to sixteen hours at room temperature.",
      topical:
        "Sourdough bread keeps fresh longer than yeast bread and is best stored wrapped in a linen cloth.",
    },
    {
      query: "how many eggs does a honey bee queen lay per day",
      pos: "A honey bee colony can hold up to fifty thousand bees. In summer a single queen lays up to two thousand eggs per day. Workers change tasks during their short lives: they clean cells, feed larvae, build combs and finally collect nectar.",
      para: "At the height of summer, the queen of a honey bee colony lays as many as two thousand eggs per day.",
      topical: "Honey bee workers communicate the direction of flowers with a waggle dance on the comb.",
    },
    {
      query: "who founded the Bauhaus school and in which year",
      pos: "The Bauhaus was founded in 1919 by Walter Gropius in Weimar. The school wanted to unite art and craft and to design everyday objects for industrial production. In 1925 it moved to Dessau, where its famous building was erected.",
      para: "Walter Gropius founded the Bauhaus school in Weimar in 1919.",
      topical:
        "The Bauhaus building in Dessau is a UNESCO World Heritage site and can be visited on guided tours.",
    },
    {
      query: "do antibiotics help against a common cold",
      pos: "A common cold is usually caused by rhinoviruses and gets better on its own after seven to ten days. Antibiotics do not help against a cold, because they only act on bacteria, not on viruses. Drinking plenty and resting relieve the symptoms.",
      para: "Antibiotics are useless against a common cold: the cold is caused by viruses, and antibiotics only act on bacteria.",
      topical:
        "A common cold spreads through droplets, so washing hands often lowers the risk of catching one.",
    },
    {
      query: "how tall are the towers of Cologne Cathedral",
      pos: "Cologne Cathedral is one of the largest cathedrals in the world. Construction began in 1248 but was only completed in 1880. Its two towers are about 157 meters tall. Inside lies the Shrine of the Three Kings, a golden reliquary from the Middle Ages.",
      para: "The two towers of Cologne Cathedral are about 157 meters tall, which made it the tallest building in the world for a few years.",
      topical:
        "Cologne Cathedral welcomes around six million visitors every year and has been a World Heritage site since 1996.",
    },
    {
      query: "how long is the Rhine river",
      pos: "The Rhine is one of the longest rivers in Europe. It rises in the Swiss Alps, flows through Lake Constance and forms the border between Germany and France for a long stretch. The Rhine is about 1,230 kilometers long and ends in the North Sea.",
      para: "The Rhine river is about 1,230 kilometers long from the Alps to the North Sea.",
      topical: "Barges on the Rhine carry coal, grain and containers to the inland port of Duisburg.",
    },
    {
      query: "how much security deposit can a landlord ask for",
      pos: "When you rent a flat you usually pay a security deposit. The landlord can ask for at most three months of basic rent, and the deposit can be paid in three monthly instalments. The money must be kept apart from the landlord's own assets.",
      para: "A landlord may ask for a security deposit of no more than three months of basic rent.",
      topical:
        "Tenants should photograph every room when they move in, to avoid disputes when they move out.",
    },
    {
      query: "when is the best time to get a flu vaccine",
      pos: "The flu vaccine is recommended mainly for people over sixty, pregnant women and the chronically ill. Because the viruses keep changing, the vaccine is updated every year. The best time to get the flu vaccine is October or November, and protection builds up within two weeks.",
      para: "Get your flu vaccine in October or November: that is the best time, before the flu season starts.",
      topical: "Side effects of the flu vaccine, such as a sore arm, usually disappear within a few days.",
    },
    {
      query: "what should I check when buying a used car",
      pos: "When buying a used car, check the service book first: regular inspections point to a well kept car. Rust on the wheel arches and sills is often more expensive to fix than it looks. A test drive should include the motorway, and an independent inspection costs about a hundred euros.",
      para: "Buying a used car? Check the service book, look for rust on the sills and wheel arches, and take it for a test drive on the motorway.",
      topical: "Used car prices rose sharply in recent years because new cars were in short supply.",
    },
    {
      query: "how much does a home solar panel system cost",
      pos: "Solar panels on family homes have become much cheaper over the last ten years. An eight kilowatt system now costs between twelve and sixteen thousand euros depending on the region. A battery raises the share of power used in the house, and in most regions no building permit is needed.",
      para: "A home solar panel system of about eight kilowatts costs twelve to sixteen thousand euros today.",
      topical: "Solar panels work best on roofs facing south with little shade from trees or chimneys.",
    },
    {
      query: "when was the Eiffel Tower built",
      pos: "The Eiffel Tower stands on the Champ de Mars in Paris. It was built between 1887 and 1889 as the entrance arch for the World's Fair and was designed by the company of Gustave Eiffel. At 330 meters it was the tallest structure in the world until 1930.",
      para: "Gustave Eiffel's company built the Eiffel Tower from 1887 to 1889, for the World's Fair in Paris.",
      topical: "Visitors to the Eiffel Tower can take the stairs to the second floor or queue for the lifts.",
    },
    {
      query: "how often should a dog be walked",
      pos: "Most adult dogs should be walked at least twice a day, for a total of thirty minutes to two hours depending on breed and age. Young working breeds need more exercise than small companion dogs. Regular walks also help with house training and calm behaviour at home.",
      para: "Walk an adult dog at least twice a day; depending on the breed, thirty minutes to two hours in total.",
      topical: "Dogs should always be walked on a lead near roads, and owners must pick up after them.",
    },
    {
      query: "what temperature should a fridge be set to",
      pos: "A fridge works best between three and five degrees Celsius. Colder settings waste energy and can freeze vegetables, while warmer ones let bacteria grow faster. The freezer compartment should stay at minus eighteen degrees. Check the temperature with a thermometer on the middle shelf.",
      para: "Set your fridge to a temperature between three and five degrees Celsius for food to keep well.",
      topical: "An old fridge can use twice as much electricity as a new model with a good energy label.",
    },
    {
      query: "how long does it take to boil an egg",
      pos: "Put the eggs in boiling water and keep them at a gentle boil. A soft boiled egg with a runny yolk takes about six minutes, a hard boiled egg about ten minutes. Cool them in cold water afterwards so that they are easier to peel.",
      para: "To boil an egg, it takes about six minutes for a runny yolk and ten minutes for a hard boiled egg.",
      topical: "Fresh eggs sink in a glass of water, while old eggs float to the top.",
    },
  ],
  de: [
    {
      query: "Wann öffnet die Stadtbibliothek nach der Renovierung wieder?",
      pos: 0,
      para: "Nach der Renovierung öffnet die Stadtbibliothek am ersten Montag im März wieder.",
      topical: "In der Stadtbibliothek gibt es jeden Dienstag eine Vorlesestunde für Kinder.",
    },
    {
      query: "Wie lange muss der Vorteig für Sauerteigbrot reifen?",
      pos: 1,
      para: "Der Vorteig für ein Sauerteigbrot muss zwölf bis sechzehn Stunden bei Raumtemperatur reifen.",
      topical:
        "Sauerteigbrot bleibt länger frisch als Hefebrot und lässt sich gut in einem Leinentuch aufbewahren.",
    },
    {
      query: "Wie lang ist der Rhein?",
      pos: 3,
      para: "Der Rhein ist gut zwölfhundert Kilometer lang und damit einer der längsten Flüsse Europas.",
      topical: "Auf dem Rhein transportieren Schiffe Kohle, Getreide und Container bis nach Duisburg.",
    },
    {
      query: "Wie hoch darf die Mietkaution höchstens sein?",
      pos: 4,
      para: "Die Mietkaution darf höchstens drei Nettokaltmieten betragen.",
      topical:
        "Beim Einzug in eine Wohnung sollte man alle Räume fotografieren, um späteren Streit zu vermeiden.",
    },
    {
      query: "Wie viele Eier legt eine Bienenkönigin am Tag?",
      pos: 5,
      para: "Eine Bienenkönigin legt im Sommer bis zu zweitausend Eier am Tag.",
      topical: "Bienen teilen einander mit dem Schwänzeltanz mit, wo Blüten zu finden sind.",
    },
    {
      query: "Wie viele Wochen dauert ein typischer Trainingsplan für einen Marathon?",
      pos: 6,
      para: "Ein typischer Trainingsplan für einen Marathon dauert sechzehn Wochen.",
      topical: "Beim Marathon sollte man Gels und Getränke vorher im Training ausprobieren.",
    },
    {
      query: "Wann ist der beste Zeitpunkt für die Grippeimpfung?",
      pos: 7,
      para: "Der beste Zeitpunkt für die Grippeimpfung ist der Oktober oder November.",
      topical: "Nach der Grippeimpfung kann die Einstichstelle ein paar Tage gerötet sein.",
    },
    {
      query: "Wer gründete das Bauhaus und wann?",
      pos: 8,
      para: "Walter Gropius gründete das Bauhaus 1919 in Weimar.",
      topical: "Das Bauhausgebäude in Dessau gehört zum Welterbe und kann besichtigt werden.",
    },
    {
      query: "Helfen Antibiotika gegen eine Erkältung?",
      pos: 9,
      para: "Gegen eine Erkältung helfen Antibiotika nicht, denn sie wirken nur gegen Bakterien und nicht gegen Viren.",
      topical: "Eine Erkältung wird durch Tröpfchen übertragen, häufiges Händewaschen senkt das Risiko.",
    },
    {
      query: "Wann wurde der Kölner Dom vollendet?",
      pos: 10,
      para: "Der Kölner Dom wurde erst 1880 vollendet, über sechshundert Jahre nach Baubeginn.",
      topical: "Der Kölner Dom zieht jedes Jahr Millionen Besucher aus aller Welt an.",
    },
    {
      query: "Was kostet eine Photovoltaikanlage auf dem Einfamilienhaus?",
      pos: 2,
      para: "Eine Photovoltaikanlage mit acht Kilowatt kostet auf dem Einfamilienhaus heute zwölf- bis sechzehntausend Euro.",
      topical: "Photovoltaikanlagen liefern auf nach Süden ausgerichteten Dächern den meisten Strom.",
    },
    {
      query: "Was kostet ein Gutachten für einen Gebrauchtwagen?",
      pos: 11,
      para: "Ein unabhängiges Gutachten für einen Gebrauchtwagen kostet meist um die hundert Euro.",
      topical: "Gebrauchtwagen mit wenigen Vorbesitzern erzielen oft höhere Preise.",
    },
    {
      query: "Wann wurde das Bauhaus geschlossen?",
      pos: 8,
      para: "Das Bauhaus wurde 1933 unter dem Druck der Nationalsozialisten in Berlin geschlossen.",
      topical: "Das Bauhaus wollte Kunst und Handwerk miteinander verbinden.",
    },
    {
      query: "Wie hoch sind die Türme des Kölner Doms?",
      pos: 10,
      para: "Die beiden Türme des Kölner Doms sind etwa hundertsiebenundfünfzig Meter hoch.",
      topical: "Im Kölner Dom befindet sich der goldene Dreikönigenschrein.",
    },
    {
      query: "Wo entspringt der Rhein?",
      pos: 3,
      para: "Der Rhein entspringt in den Schweizer Alpen und fließt dann durch den Bodensee.",
      topical: "Der Rhein mündet in den Niederlanden in die Nordsee.",
    },
  ],
  fr: [
    {
      query: "Quand la bibliothèque municipale rouvrira-t-elle ?",
      pos: 0,
      para: "Après deux ans de travaux, la bibliothèque municipale rouvrira le premier lundi de mars.",
      topical: "La bibliothèque municipale organise chaque mardi une heure du conte pour les enfants.",
    },
    {
      query: "Combien de temps la pâte brisée doit-elle reposer ?",
      pos: 1,
      para: "La pâte brisée doit reposer au moins une heure au réfrigérateur avant d'être étalée.",
      topical: "Une pâte brisée peut aussi se préparer au robot, avec une lame en métal.",
    },
    {
      query: "Quelle est l'amplitude des marées au Mont-Saint-Michel ?",
      pos: 2,
      para: "Au Mont-Saint-Michel, les marées sont parmi les plus fortes d'Europe : le marnage peut dépasser quatorze mètres.",
      topical: "Le Mont-Saint-Michel accueille chaque année plusieurs millions de visiteurs.",
    },
    {
      query: "Combien de salariés pratiquent le télétravail en France ?",
      pos: 3,
      para: "En France, près d'un salarié sur quatre pratique le télétravail au moins un jour par semaine.",
      topical: "Le télétravail demande une bonne connexion internet et un espace de travail calme.",
    },
    {
      query: "Quand la protection du vaccin contre la grippe apparaît-elle ?",
      pos: 4,
      para: "La protection du vaccin contre la grippe apparaît environ quinze jours après l'injection.",
      topical: "Le vaccin contre la grippe est disponible en pharmacie dès le mois d'octobre.",
    },
    {
      query: "Où le Rhône se jette-t-il ?",
      pos: 5,
      para: "Le Rhône se jette dans la Méditerranée par un vaste delta, la Camargue.",
      topical: "Sur le Rhône, de nombreux barrages produisent de l'électricité.",
    },
    {
      query: "Quel est le montant maximal du dépôt de garantie pour un logement vide ?",
      pos: 6,
      para: "Pour un logement vide, le dépôt de garantie est limité à un mois de loyer hors charges.",
      topical: "Un état des lieux d'entrée doit être signé par le locataire et le propriétaire.",
    },
    {
      query: "Combien d'œufs la reine des abeilles pond-elle par jour ?",
      pos: 7,
      para: "Au printemps, la reine des abeilles pond jusqu'à deux mille œufs par jour.",
      topical: "Les abeilles indiquent la direction des fleurs par une danse en forme de huit.",
    },
    {
      query: "Quand le Centre Pompidou a-t-il été inauguré ?",
      pos: 9,
      para: "Le Centre Pompidou a été inauguré en 1977.",
      topical: "Le Centre Pompidou abrite une grande bibliothèque publique ouverte à tous.",
    },
    {
      query: "Les antibiotiques sont-ils utiles contre le rhume ?",
      pos: 10,
      para: "Contre le rhume, les antibiotiques sont inutiles, car ils n'agissent pas sur les virus.",
      topical: "Le rhume se transmet facilement, surtout dans les transports et les écoles.",
    },
    {
      query: "Combien de temps faut-il pour préparer un marathon ?",
      pos: 8,
      para: "Pour préparer un marathon, il faut compter au moins quatre mois d'entraînement.",
      topical: "Le marathon de Paris rassemble chaque printemps des dizaines de milliers de coureurs.",
    },
    {
      query: "Combien coûte le diagnostic d'une voiture d'occasion ?",
      pos: 11,
      para: "Un garagiste indépendant fait le diagnostic d'une voiture d'occasion pour une centaine d'euros.",
      topical: "Une voiture d'occasion de moins de cinq ans se revend plus facilement.",
    },
    {
      query: "Qui sont les architectes du Centre Pompidou ?",
      pos: 9,
      para: "Les architectes du Centre Pompidou sont Renzo Piano et Richard Rogers.",
      topical: "Le Centre Pompidou expose l'une des plus grandes collections d'art moderne.",
    },
    {
      query: "Combien de places compte la salle de lecture de la bibliothèque ?",
      pos: 0,
      para: "La nouvelle salle de lecture de la bibliothèque compte quarante places.",
      topical: "La bibliothèque prête aussi des livres audio et des magazines.",
    },
    {
      query: "Où le Rhône reçoit-il la Saône ?",
      pos: 5,
      para: "C'est à Lyon que le Rhône reçoit la Saône, son principal affluent.",
      topical: "Le Rhône traverse le lac Léman avant d'entrer en France.",
    },
  ],
  es: [
    {
      query: "¿Cuándo vuelve a abrir la biblioteca municipal?",
      pos: 0,
      para: "La biblioteca municipal vuelve a abrir el primer lunes de marzo, después de dos años de obras.",
      topical: "La biblioteca municipal organiza cada martes un cuentacuentos para niños.",
    },
    {
      query: "¿Cuánto tiempo se pochan las patatas para la tortilla?",
      pos: 1,
      para: "Para la tortilla, las patatas se pochan a fuego lento con la cebolla unos veinte minutos.",
      topical: "La tortilla de patatas se puede comer fría o caliente y es un plato típico de las fiestas.",
    },
    {
      query: "¿Dónde nace el río Ebro?",
      pos: 2,
      para: "El río Ebro nace en Cantabria y desemboca en el Mediterráneo.",
      topical: "El delta del Ebro es famoso por sus arrozales y por las aves que lo visitan.",
    },
    {
      query: "¿Qué debe incluir el acuerdo de teletrabajo?",
      pos: 3,
      para: "El acuerdo de teletrabajo debe incluir por escrito el lugar de trabajo, el horario y los medios que aporta la empresa.",
      topical: "El teletrabajo permite ahorrar tiempo en desplazamientos, según muchos empleados.",
    },
    {
      query: "¿Cuándo protege la vacuna contra la gripe?",
      pos: 4,
      para: "La vacuna contra la gripe protege unas dos semanas después de la inyección.",
      topical: "La vacuna contra la gripe se puede poner en los centros de salud y en algunas farmacias.",
    },
    {
      query: "¿Cuántos visitantes recibe la Alhambra cada año?",
      pos: 5,
      para: "La Alhambra recibe cada año más de dos millones de visitantes.",
      topical: "La Alhambra fue construida por la dinastía nazarí en Granada.",
    },
    {
      query: "¿Cuánto tiempo tiene el casero para devolver la fianza?",
      pos: 6,
      para: "Al terminar el contrato, el casero tiene un mes para devolver la fianza.",
      topical: "El inquilino debe revisar el estado de la vivienda antes de firmar el contrato.",
    },
    {
      query: "¿Cuántos huevos pone la reina de las abejas al día?",
      pos: 7,
      para: "En primavera, la reina de las abejas puede poner dos mil huevos al día.",
      topical: "Las abejas obreras recolectan néctar y polen de las flores cercanas.",
    },
    {
      query: "¿Cuándo es gratis la entrada al Museo del Prado?",
      pos: 9,
      para: "La entrada al Museo del Prado es gratis durante las dos últimas horas de cada día.",
      topical: "El Museo del Prado conserva obras de Velázquez, el Bosco y Goya.",
    },
    {
      query: "¿Sirven los antibióticos contra el resfriado?",
      pos: 10,
      para: "Los antibióticos no sirven contra el resfriado, porque no actúan contra los virus.",
      topical: "El resfriado común es más frecuente en invierno y se contagia con facilidad.",
    },
    {
      query: "¿Cuánto tiempo hace falta para preparar un maratón?",
      pos: 8,
      para: "Para preparar un maratón hace falta entrenar al menos cuatro meses.",
      topical: "El maratón de Valencia es uno de los más rápidos de Europa.",
    },
    {
      query: "¿Cuánto cuesta revisar un coche de segunda mano en un taller?",
      pos: 11,
      para: "Un taller independiente revisa un coche de segunda mano por unos cien euros.",
      topical: "Los coches de segunda mano con pocos kilómetros se venden antes.",
    },
    {
      query: "¿Cuándo se inauguró el Museo del Prado?",
      pos: 9,
      para: "El Museo del Prado se inauguró en 1819.",
      topical: "El Museo del Prado está en el paseo del Prado, en Madrid.",
    },
    {
      query: "¿Cuántos kilómetros recorre el Ebro?",
      pos: 2,
      para: "El Ebro recorre unos novecientos kilómetros hasta el Mediterráneo.",
      topical: "El Ebro pasa por Zaragoza, donde se celebran las fiestas del Pilar.",
    },
    {
      query: "¿Cuántos puestos tiene la sala de lectura de la biblioteca?",
      pos: 0,
      para: "La sala de lectura de la biblioteca tiene ahora cuarenta puestos.",
      topical: "La biblioteca presta también audiolibros y revistas.",
    },
  ],
  zh: [
    {
      query: "市图书馆什么时候重新开放？",
      pos: 0,
      para: "装修结束后，市图书馆将在三月的第一个星期一重新开放。",
      topical: "市图书馆每周二下午为小朋友举办故事会。",
    },
    {
      query: "红烧肉要炖多长时间？",
      pos: 1,
      para: "红烧肉加热水后用小火炖一个小时左右，再大火收汁。",
      topical: "红烧肉是一道家常菜，各地的做法略有不同。",
    },
    {
      query: "长江有多长？",
      pos: 2,
      para: "长江全长约六千三百公里，是中国最长的河流。",
      topical: "长江流域是重要的淡水鱼产区。",
    },
    {
      query: "流感疫苗接种后多久产生保护作用？",
      pos: 4,
      para: "流感疫苗接种后大约两周才会产生保护作用。",
      topical: "流感疫苗可以在社区医院预约接种。",
    },
    {
      query: "租房押金一般交多少？",
      pos: 5,
      para: "租房时房东一般要求交一到三个月的房租作为押金。",
      topical: "租房签合同前最好拍照记录房屋设施。",
    },
    {
      query: "蜂王每天能产多少卵？",
      pos: 6,
      para: "春季蜂王每天能产下两千枚左右的卵。",
      topical: "工蜂会通过舞蹈告诉同伴花蜜的位置。",
    },
    {
      query: "马拉松比赛前多久开始减量？",
      pos: 7,
      para: "马拉松比赛前两到三周就要开始减少训练量。",
      topical: "马拉松比赛中要注意及时补充水分和能量。",
    },
    {
      query: "故宫收藏了多少件文物？",
      pos: 8,
      para: "作为博物馆，故宫收藏的文物有一百八十多万件。",
      topical: "参观故宫需要提前在网上预约门票。",
    },
    {
      query: "感冒需要吃抗生素吗？",
      pos: 9,
      para: "感冒大多由病毒引起，抗生素对病毒没有作用，所以感冒不需要吃抗生素。",
      topical: "感冒期间要多喝水，注意休息。",
    },
    {
      query: "西湖的湖面面积有多大？",
      pos: 11,
      para: "西湖的湖面面积约六点四平方公里。",
      topical: "西湖十景中，断桥残雪最为有名。",
    },
    {
      query: "远程办公每周在家工作几天？",
      pos: 3,
      para: "实行远程办公的公司一般允许员工每周在家工作一到两天。",
      topical: "远程办公需要稳定的网络和安静的工作环境。",
    },
    {
      query: "二手车检测要花多少钱？",
      pos: 10,
      para: "请第三方机构做一次二手车全面检测，一般要花几百元。",
      topical: "二手车的价格和车龄、里程关系很大。",
    },
    {
      query: "长江在哪里注入东海？",
      pos: 2,
      para: "长江最后在上海注入东海。",
      topical: "长江三峡风景秀丽，每年吸引大量游客。",
    },
    {
      query: "故宫始建于哪一年？",
      pos: 8,
      para: "故宫始建于一四零六年，是明清两代的皇宫。",
      topical: "故宫的屋顶大多是黄色的琉璃瓦。",
    },
    {
      query: "一个蜂群有多少只蜜蜂？",
      pos: 6,
      para: "一个蜂群里大约有五万只蜜蜂。",
      topical: "蜜蜂采蜜时会顺便帮助植物传粉。",
    },
  ],
  ja: [
    {
      query: "肉じゃがは何分くらい煮込みますか",
      pos: 1,
      para: "肉じゃがは調味料を入れてから、落としぶたをして弱火で二十分ほど煮込みます。",
      topical: "肉じゃがは家庭料理の定番で、地域によって豚肉を使うこともあります。",
    },
    {
      query: "信濃川の長さはどのくらいですか",
      pos: 2,
      para: "信濃川の長さは約三百六十七キロメートルで、日本一長い川です。",
      topical: "信濃川の流域では稲作が盛んに行われています。",
    },
    {
      query: "インフルエンザの予防接種の効果が出るまでどのくらいかかりますか",
      pos: 4,
      para: "インフルエンザの予防接種は、効果が出るまでに約二週間かかります。",
      topical: "インフルエンザの予防接種は近くの病院や診療所で受けられます。",
    },
    {
      query: "女王蜂は一日に何個の卵を産みますか",
      pos: 6,
      para: "春の女王蜂は、一日に二千個もの卵を産みます。",
      topical: "働き蜂は八の字ダンスで花の場所を仲間に知らせます。",
    },
    {
      query: "マラソン大会の何週間前から練習量を減らしますか",
      pos: 7,
      para: "マラソン大会の二、三週間前からは練習量を減らして疲れを抜きます。",
      topical: "マラソン大会では給水所で水分をこまめにとることが大切です。",
    },
    {
      query: "金閣寺を建てたのは誰ですか",
      pos: 8,
      para: "金閣寺のもとになった山荘を建てたのは、足利義満です。",
      topical: "金閣寺は池に映る姿が美しいことで知られています。",
    },
    {
      query: "風邪に抗生物質は効きますか",
      pos: 9,
      para: "風邪の原因はほとんどがウイルスなので、抗生物質は風邪には効きません。",
      topical: "風邪をひいたときは水分をしっかりとることが大切です。",
    },
    {
      query: "中古車を買うときにまず何を確認しますか",
      pos: 10,
      para: "中古車を買うときは、まず整備記録簿と車検の時期を確認します。",
      topical: "中古車の価格は年式や走行距離によって大きく変わります。",
    },
    {
      query: "富士山の標高は何メートルですか",
      pos: 11,
      para: "富士山の標高は三千七百七十六メートルで、日本で一番高い山です。",
      topical: "富士山には夏の登山シーズンに多くの人が訪れます。",
    },
    {
      query: "賃貸住宅を借りるときの初期費用には何がありますか",
      pos: 5,
      para: "賃貸住宅を借りるときの初期費用には、敷金、礼金、仲介手数料などがあります。",
      topical: "賃貸住宅では退去時の原状回復をめぐるトラブルがよくあります。",
    },
    {
      query: "在宅勤務は週に何日が一般的ですか",
      pos: 3,
      para: "在宅勤務は、週に一、二日自宅で働く形が一般的です。",
      topical: "在宅勤務では仕事用の机と椅子をそろえると快適です。",
    },
    {
      query: "市立図書館はいつ再開館しますか",
      pos: 0,
      para: "改修工事を終えた市立図書館は、三月の第一月曜日に再開館します。",
      topical: "市立図書館では毎週火曜日に子ども向けの読み聞かせ会があります。",
    },
    {
      query: "金閣寺の正式名称は何ですか",
      pos: 8,
      para: "金閣寺の正式名称は鹿苑寺といいます。",
      topical: "金閣寺は京都を代表する観光地の一つです。",
    },
    {
      query: "富士山はいつ世界遺産に登録されましたか",
      pos: 11,
      para: "富士山は二〇一三年に文化遺産として世界遺産に登録されました。",
      topical: "富士山の山頂付近は夏でも気温が低くなります。",
    },
    {
      query: "インフルエンザの予防接種はいつ受けるのがよいですか",
      pos: 4,
      para: "インフルエンザの予防接種は、毎年秋に受けるのがよいとされています。",
      topical: "インフルエンザは冬に流行することが多い感染症です。",
    },
  ],
  ko: [
    {
      query: "김치찌개에 두부를 넣고 몇 분 더 끓이나요?",
      pos: 1,
      para: "김치찌개에 두부와 대파를 넣은 뒤 십 분 정도 더 끓이면 됩니다.",
      topical: "김치찌개는 잘 익은 김치로 끓여야 맛이 좋습니다.",
    },
    {
      query: "한강의 길이는 얼마인가요?",
      pos: 2,
      para: "한강의 길이는 약 오백 킬로미터입니다.",
      topical: "한강 공원에는 자전거 도로가 잘 갖춰져 있습니다.",
    },
    {
      query: "독감 예방접종 후 면역이 생기기까지 얼마나 걸리나요?",
      pos: 4,
      para: "독감 예방접종을 하고 약 2주가 지나면 면역이 생깁니다.",
      topical: "독감 예방접종은 가까운 병원이나 보건소에서 받을 수 있습니다.",
    },
    {
      query: "전셋집을 구할 때 무엇을 확인해야 하나요?",
      pos: 5,
      para: "전셋집을 구할 때는 등기부등본으로 집주인과 근저당을 확인해야 합니다.",
      topical: "전셋집은 역에서 가까울수록 보증금이 높은 편입니다.",
    },
    {
      query: "여왕벌은 하루에 알을 몇 개 낳나요?",
      pos: 6,
      para: "봄철 여왕벌은 하루에 이천 개가 넘는 알을 낳습니다.",
      topical: "일벌은 춤으로 꽃이 있는 방향을 동료에게 알립니다.",
    },
    {
      query: "마라톤 대회 몇 주 전부터 훈련량을 줄이나요?",
      pos: 7,
      para: "마라톤 대회 이삼 주 전부터 훈련량을 줄여야 합니다.",
      topical: "마라톤 대회 당일에는 급수대에서 물을 자주 마시는 것이 좋습니다.",
    },
    {
      query: "경복궁은 언제 지어졌나요?",
      pos: 8,
      para: "경복궁은 조선 왕조가 1395년에 지은 궁궐입니다.",
      topical: "경복궁에서는 매일 수문장 교대식이 열립니다.",
    },
    {
      query: "감기에 항생제가 필요한가요?",
      pos: 9,
      para: "감기는 바이러스 때문에 생기므로 항생제가 필요하지 않습니다.",
      topical: "감기에 걸리면 물을 충분히 마시고 푹 쉬어야 합니다.",
    },
    {
      query: "중고차를 살 때 먼저 무엇을 확인해야 하나요?",
      pos: 10,
      para: "중고차를 살 때는 먼저 정비 이력과 사고 이력을 확인해야 합니다.",
      topical: "중고차 가격은 주행 거리와 연식에 따라 크게 달라집니다.",
    },
    {
      query: "한라산의 높이는 얼마인가요?",
      pos: 11,
      para: "한라산의 높이는 천구백사십칠 미터입니다.",
      topical: "한라산 주변에는 오름이라고 불리는 작은 화산이 많습니다.",
    },
    {
      query: "재택근무는 보통 일주일에 며칠 하나요?",
      pos: 3,
      para: "재택근무는 보통 일주일에 하루나 이틀 집에서 일하는 방식입니다.",
      topical: "재택근무를 할 때는 조용한 작업 공간이 필요합니다.",
    },
    {
      query: "시립 도서관은 언제 다시 문을 여나요?",
      pos: 0,
      para: "시립 도서관은 공사를 마치고 3월 첫째 월요일에 다시 문을 엽니다.",
      topical: "시립 도서관에서는 매주 화요일에 어린이 동화 읽기 모임이 열립니다.",
    },
    {
      query: "한강은 어디에서 만나 서울로 흐르나요?",
      pos: 2,
      para: "남한강과 북한강은 양평 근처에서 만나 서울로 흐릅니다.",
      topical: "한강에서는 여름마다 불꽃 축제가 열립니다.",
    },
    {
      query: "제주도의 화산섬과 용암동굴은 언제 세계자연유산이 되었나요?",
      pos: 11,
      para: "제주도의 화산섬과 용암동굴은 2007년에 세계자연유산으로 지정되었습니다.",
      topical: "제주도는 감귤과 해녀로도 유명합니다.",
    },
    {
      query: "경복궁의 대표적인 건물은 무엇인가요?",
      pos: 8,
      para: "경복궁의 대표적인 건물은 근정전과 경회루입니다.",
      topical: "경복궁 근처에는 국립민속박물관이 있습니다.",
    },
  ],
};

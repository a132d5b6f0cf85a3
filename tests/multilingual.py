"""Shared test text in eight scripts: per language an invented news story, the reprint of it
that another outlet ran the next day, and an unrelated story of the same day.

The reprint keeps two thirds of the story word for word (paragraphs 1-3 and 5, with one
changed time word in paragraph 1), drops paragraphs 4 and 6, and adds a headline and a
quote of its own.  Where a real copy desk would respell the text, the reprint does it too:
Arabic without hamza on alef, with Egyptian final yeh, a tatweel and harakat; Russian with
е for ё; Swiss German with ss for ß; Greek and Turkish with the lead sentence in capitals.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from copydesk import Article


@dataclass(frozen=True)
class Story:
    lang: str
    paras: tuple[str, ...]      # six paragraphs of the original
    added: tuple[str, str]      # the reprint's own headline and closing quote
    edit: tuple[str, str]       # a time word of paragraph 1 and what the reprint says instead
    unrelated: tuple[str, ...]  # another story of the same outlet and day
    respell: Callable[[str], str] = str  # how the reprint's desk spells

    @property
    def kept(self) -> list[str]:
        """The reprint's copies of paragraphs 1-3 and 5, as it prints them."""
        first = self.paras[0].replace(*self.edit)
        assert first != self.paras[0], self.lang
        return [self.respell(p) for p in (first, self.paras[1], self.paras[2], self.paras[4])]

    def original(self) -> Article:
        return Article(f"{self.lang}-original", "\n\n".join(self.paras), date="2024-07-03")

    def reprint(self) -> Article:
        text = "\n\n".join([self.added[0], *self.kept, self.added[1]])
        return Article(f"{self.lang}-reprint", text, date="2024-07-04")

    def other(self) -> Article:
        return Article(f"{self.lang}-other", "\n\n".join(self.unrelated), date="2024-07-03")


def _arabic_desk(text: str) -> str:
    """Hamza dropped from alef, final yeh written as alef maqsura and back (Egyptian usage),
    one word stretched with tatweel and one vowelled."""
    text = text.replace("أ", "ا").replace("إ", "ا")
    text = re.sub(r"ي\b", "\uE000", text)
    text = re.sub(r"ى\b", "ي", text).replace("\uE000", "ى")
    return text.replace("الصحة", "الصـــحة").replace("الأطفال", "الأطفالِ").replace("الاطفال", "الاطفالِ")


def _caps_lead(text: str) -> str:
    """The first sentence in capitals (str.upper, as a content system does it)."""
    head, dot, rest = text.partition(". ")
    return head.upper() + dot + rest


STORIES = [
    Story(
        "zh",
        ("新华社广州7月3日电 受持续强降雨影响，广东省北部多地发生洪涝灾害。截至3日下午，已有超过两万名群众被紧急转移安置，当地政府启动了防汛二级应急响应。",
         "据省气象台介绍，过去四十八小时内，韶关、清远等地累计降雨量普遍超过二百毫米，部分站点突破历史同期极值，多条河流水位超过警戒线。",
         "记者在清远市英德市看到，救援人员正驾驶冲锋舟在被淹没的街道上搜寻被困居民，一些老人和儿童被安全转移到附近的学校和体育馆。",
         "省水利厅表示，北江干流洪峰预计将于4日凌晨通过飞来峡水利枢纽，目前各大水库已提前腾出库容，下游城市的堤防正在加紧巡查。",
         "专家提醒，强降雨过后容易引发山体滑坡和泥石流等次生灾害，山区居民应密切关注预警信息，不要冒险进入危险区域。",
         "目前，灾情统计和救灾工作仍在进行中，具体损失情况有待进一步核实。"),
        ("本报讯 广东北部遭遇罕见暴雨，多地告急。",
         "一位刚刚被转移的村民对本报记者说：“水来得太快了，我们只来得及带上身份证。”"),
        ("截至3日下午", "截至昨天下午"),
        ("新华社北京7月3日电 国家统计局3日发布数据显示，今年上半年全国规模以上工业企业实现利润总额同比增长百分之三点五，增速比一季度加快一点二个百分点。",
         "统计局工业司首席统计师表示，高技术制造业利润增长较快，电子设备、新能源汽车和光伏产品等行业表现突出，对整体利润增长的贡献明显提高。",
         "分析人士认为，随着一系列稳增长政策持续发力，市场需求逐步恢复，企业经营状况有望进一步改善，但外部环境的不确定性仍然较大。",
         "数据还显示，六月份工业企业营业收入增速有所回落，部分原材料行业利润仍然下降，企业成本压力依然存在。"),
    ),
    Story(
        "ja",
        ("【東京共同】気象庁によると、大型で強い台風10号は3日午前、鹿児島県の南の海上を北上しており、4日にも九州南部に上陸する恐れがある。",
         "気象庁は九州南部を中心に猛烈な風や高波、記録的な大雨に厳重な警戒を呼びかけている。予想される24時間雨量は多い所で400ミリに達する見込みだ。",
         "鹿児島県内では3日朝から航空便の欠航が相次ぎ、鹿児島空港を発着する全ての便が運航を取りやめた。JR九州も4日の在来線の一部で計画運休を決めた。",
         "政府は首相官邸で関係閣僚会議を開き、住民の早めの避難や停電への備えを徹底するよう関係省庁に指示した。",
         "鹿児島市の避難所には3日夕方までに約300人が身を寄せた。80代の女性は「家が古いので心配だ。早めに来て安心した」と話した。",
         "気象庁は、台風が上陸した場合には九州全域で暴風域に入る可能性があるとして、最新の情報に注意するよう求めている。"),
        ("台風10号、九州上陸か　各地で厳戒",
         "県の担当者は「不要不急の外出は控えてほしい」と話した。"),
        ("3日午前", "昨日午前"),
        ("【ニューヨーク共同】3日のニューヨーク株式市場で、ダウ工業株30種平均は続伸し、前日比250ドル高で取引を終えた。好調な企業決算が相場を支えた。",
         "ハイテク株の比率が高いナスダック総合指数も上昇し、半導体関連銘柄を中心に買いが広がった。",
         "市場では、米連邦準備制度理事会（FRB）が年内にも利下げに踏み切るとの観測が強まっており、投資家の心理が改善している。",
         "一方、原油価格の上昇を受けて航空株は売られ、運輸関連の銘柄は総じて軟調だった。"),
    ),
    Story(
        "th",
        ("กรุงเทพฯ 3 ก.ค. – กรมอุตุนิยมวิทยาประกาศเตือนฝนตกหนักถึงหนักมากในหลายจังหวัดทางภาคเหนือและภาคตะวันออกเฉียงเหนือ ตั้งแต่วันนี้ไปจนถึงวันเสาร์",
         "เจ้าหน้าที่ระบุว่าร่องมรสุมกำลังแรงพาดผ่านบริเวณดังกล่าว ทำให้มีฝนตกต่อเนื่อง และอาจเกิดน้ำท่วมฉับพลันและน้ำป่าไหลหลากในพื้นที่ลาดเชิงเขาใกล้ทางน้ำ",
         "ในจังหวัดเชียงรายและน่าน ระดับน้ำในแม่น้ำหลายสายเพิ่มสูงขึ้นอย่างรวดเร็ว ชาวบ้านในพื้นที่ลุ่มต่ำเริ่มขนย้ายทรัพย์สินขึ้นที่สูงตั้งแต่เมื่อคืนนี้",
         "กรมป้องกันและบรรเทาสาธารณภัยได้ส่งเจ้าหน้าที่พร้อมเรือและเครื่องสูบน้ำไปประจำการในพื้นที่เสี่ยงแล้ว เพื่อให้ความช่วยเหลือประชาชนได้ทันที",
         "ผู้เชี่ยวชาญแนะนำให้ประชาชนติดตามประกาศของทางราชการอย่างใกล้ชิด และหลีกเลี่ยงการเดินทางในช่วงที่มีฝนตกหนัก",
         "ขณะนี้ยังไม่มีรายงานผู้เสียชีวิต แต่มีถนนหลายสายถูกน้ำท่วมจนรถเล็กไม่สามารถผ่านได้"),
        ("ข่าวด่วน ฝนถล่มภาคเหนือ",
         "ผู้ใหญ่บ้านรายหนึ่งกล่าวว่า ปีนี้น้ำมาเร็วกว่าทุกปี ชาวบ้านต้องเตรียมตัวให้พร้อม"),
        ("ตั้งแต่วันนี้ไปจนถึงวันเสาร์", "ตั้งแต่วันพุธไปจนถึงวันเสาร์"),
        ("ตลาดหลักทรัพย์แห่งประเทศไทยรายงานว่า ดัชนีหุ้นไทยปิดตลาดวันนี้ปรับตัวขึ้นเล็กน้อย โดยมีแรงซื้อจากนักลงทุนต่างชาติในหุ้นกลุ่มธนาคารและพลังงาน",
         "นักวิเคราะห์มองว่าตลาดยังคงได้รับแรงหนุนจากความคาดหวังว่าธนาคารกลางสหรัฐจะลดอัตราดอกเบี้ยภายในปีนี้",
         "อย่างไรก็ตาม ปริมาณการซื้อขายยังอยู่ในระดับต่ำ เนื่องจากนักลงทุนจำนวนมากรอดูผลประกอบการของบริษัทจดทะเบียนในไตรมาสที่สอง",
         "ค่าเงินบาทเมื่อเทียบกับดอลลาร์สหรัฐแข็งค่าขึ้นเล็กน้อยจากวันก่อนหน้า"),
    ),
    Story(
        "ar",
        ("القاهرة (رويترز) - أعلنت وزارة الصحة المصرية يوم الأربعاء أنها بدأت حملة واسعة للتطعيم ضد شلل الأطفال تستهدف أكثر من أربعة عشر مليون طفل في جميع المحافظات.",
         "وقال المتحدث باسم الوزارة إن الحملة ستستمر خمسة أيام، وإن فرقا طبية ستزور المنازل والمدارس والأسواق لضمان وصول اللقاح إلى كل طفل دون سن الخامسة.",
         "وأضاف أن الوزارة خصصت أكثر من ستين ألف عامل صحي للمشاركة في الحملة، إلى جانب آلاف المتطوعين من منظمات المجتمع المدني.",
         "وأكدت منظمة الصحة العالمية في بيان منفصل أن مصر خالية من شلل الأطفال منذ سنوات، لكن حملات التطعيم الدورية ضرورية لحماية الأطفال من عودة المرض.",
         "ودعت الوزارة أولياء الأمور إلى التعاون مع الفرق الطبية وعدم الالتفات إلى الشائعات التي تنتشر على مواقع التواصل الاجتماعي بشأن سلامة اللقاح.",
         "ومن المقرر أن تعلن الوزارة نتائج الحملة في مؤتمر صحفي الأسبوع المقبل."),
        ("حملة لتطعيم الأطفال في مصر",
         "وقالت أم لطفلين في حي شبرا إنها تثق في اللقاح وإنها حرصت على تطعيم طفليها في اليوم الأول."),
        ("يوم الأربعاء", "أمس"),
        ("الرياض (رويترز) - ارتفعت أسعار النفط يوم الأربعاء بعد أن أظهرت بيانات انخفاض المخزونات الأمريكية من الخام بأكثر من المتوقع.",
         "وصعدت العقود الآجلة لخام برنت تسعين سنتا لتصل إلى خمسة وثمانين دولارا للبرميل، في حين ارتفع خام غرب تكساس الوسيط بنسبة مماثلة.",
         "وقال محللون إن المخاوف بشأن الإمدادات في الشرق الأوسط ما زالت تدعم الأسعار، رغم التوقعات بتباطؤ الطلب العالمي.",
         "وتترقب الأسواق اجتماع تحالف أوبك بلس الشهر المقبل لمعرفة ما إذا كان سيمدد تخفيضات الإنتاج."),
        _arabic_desk,
    ),
    Story(
        "ru",
        ("МОСКВА, 3 июля. Сильный ливень, прошедший в столице во вторник вечером, затопил несколько станций метро и десятки улиц, сообщили в городском оперативном штабе.",
         "По данным синоптиков, за два часа в центре Москвы выпало около половины месячной нормы осадков. Ещё за несколько часов до этого ничто не предвещало такой непогоды.",
         "Движение поездов на трёх станциях было временно приостановлено, пассажиров выводили на поверхность. Коммунальные службы всю ночь откачивали воду с проезжей части.",
         "Мэрия сообщила, что пострадавших нет, однако ветер повалил более двухсот деревьев, которые повредили припаркованные автомобили и линии электропередачи.",
         "Метеорологи предупреждают, что в ближайшие дни в регионе сохранится жаркая погода с кратковременными грозами, и советуют жителям без необходимости не выходить из дома.",
         "Власти пообещали выплатить компенсации владельцам пострадавших автомобилей."),
        ("Потоп в столице",
         "«Я никогда такого не видела, вода поднялась почти до колен за полчаса», — рассказала жительница района Замоскворечье."),
        ("во вторник вечером", "накануне вечером"),
        ("САНКТ-ПЕТЕРБУРГ, 3 июля. Эрмитаж откроет в сентябре новую выставку, посвящённую искусству Древнего Египта, сообщила пресс-служба музея.",
         "В экспозицию войдут более трёхсот предметов из собственной коллекции, в том числе саркофаги, статуэтки и папирусы, многие из которых никогда прежде не выставлялись.",
         "Директор музея отметил, что подготовка выставки заняла почти три года, а реставраторы работали над некоторыми экспонатами несколько месяцев.",
         "Билеты на выставку поступят в продажу в августе на официальном сайте музея."),
        lambda t: t.replace("ё", "е").replace("Ё", "Е"),
    ),
    Story(
        "el",
        ("ΑΘΗΝΑ, 3 Ιουλίου. Μεγάλη πυρκαγιά ξέσπασε το απόγευμα της Τετάρτης σε δασική έκταση κοντά στη Νέα Μάκρη, αναγκάζοντας τις αρχές να εκκενώσουν τρεις οικισμούς.",
         "Σύμφωνα με την Πυροσβεστική Υπηρεσία, στην κατάσβεση επιχειρούν περισσότεροι από εκατόν πενήντα πυροσβέστες με πενήντα οχήματα, ενώ συνδράμουν οκτώ αεροσκάφη και πέντε ελικόπτερα.",
         "Οι ισχυροί άνεμοι που πνέουν στην περιοχή δυσκολεύουν το έργο των πυροσβεστών, καθώς το μέτωπο της φωτιάς αλλάζει συνεχώς κατεύθυνση.",
         "Το υπουργείο Πολιτικής Προστασίας έστειλε μηνύματα μέσω του αριθμού έκτακτης ανάγκης στους κατοίκους, καλώντας τους να απομακρυνθούν προς την Αθήνα.",
         "Οι μετεωρολόγοι προειδοποιούν ότι ο κίνδυνος πυρκαγιάς θα παραμείνει πολύ υψηλός και τις επόμενες ημέρες λόγω των υψηλών θερμοκρασιών και της παρατεταμένης ξηρασίας.",
         "Δεν έχουν αναφερθεί μέχρι στιγμής τραυματισμοί."),
        ("Φωτιά στην Ανατολική Αττική",
         "«Είδαμε τις φλόγες πάνω από τα σπίτια μας και φύγαμε μόνο με τα ρούχα που φορούσαμε», είπε μια κάτοικος."),
        ("το απόγευμα της Τετάρτης", "χθες το απόγευμα"),
        ("ΘΕΣΣΑΛΟΝΙΚΗ, 3 Ιουλίου. Η κυβέρνηση παρουσίασε σήμερα το νέο πρόγραμμα επιδότησης για την ενεργειακή αναβάθμιση κατοικιών, με συνολικό προϋπολογισμό ενός δισεκατομμυρίου ευρώ.",
         "Σύμφωνα με τον αρμόδιο υπουργό, οι ιδιοκτήτες θα μπορούν να υποβάλουν αιτήσεις από τον Σεπτέμβριο μέσω ειδικής ηλεκτρονικής πλατφόρμας.",
         "Το πρόγραμμα καλύπτει την αντικατάσταση κουφωμάτων, την τοποθέτηση θερμομόνωσης και την εγκατάσταση ηλιακών θερμοσιφώνων και αντλιών θερμότητας.",
         "Οι επιδοτήσεις θα φτάνουν έως και το εβδομήντα τοις εκατό του κόστους για τα νοικοκυριά με χαμηλά εισοδήματα."),
        _caps_lead,
    ),
    Story(
        "de",
        ("BERLIN (dpa) - Nach tagelangen Regenfällen hat das Hochwasser in Süddeutschland am Mittwoch mehrere Straßen und Bahnstrecken unpassierbar gemacht. In Bayern riefen zwei Landkreise den Katastrophenfall aus.",
         "Nach Angaben des Deutschen Wetterdienstes fielen in einigen Orten innerhalb von vierundzwanzig Stunden mehr als hundert Liter Regen pro Quadratmeter, so viel wie sonst in einem ganzen Monat.",
         "Feuerwehr und Technisches Hilfswerk waren mit Tausenden Einsatzkräften unterwegs, um Keller leerzupumpen und Dämme mit Sandsäcken zu sichern. Einige Bewohner mussten mit Booten aus ihren Häusern geholt werden.",
         "Der Ministerpräsident besuchte am Nachmittag die betroffenen Gemeinden und versprach den Geschädigten schnelle und unbürokratische Hilfe des Landes.",
         "Die Meteorologen rechnen erst zum Wochenende mit einer Entspannung der Lage. Bis dahin bleibe die Gefahr weiterer Überflutungen an kleineren Flüssen groß, hieß es.",
         "Die Deutsche Bahn riet Reisenden, sich vor Fahrtantritt über mögliche Ausfälle zu informieren."),
        ("Unwetter: Hochwasser legt Süddeutschland lahm",
         "«Das Wasser stand bei uns einen Meter hoch im Erdgeschoss», sagte ein Anwohner aus Passau."),
        ("am Mittwoch", "gestern"),
        ("FRANKFURT (dpa) - Die Europäische Zentralbank hat den Leitzins am Mittwoch unverändert gelassen. Die Währungshüter verwiesen auf die weiterhin hohe Kerninflation im Euroraum.",
         "Die Präsidentin der Notenbank sagte nach der Sitzung des Rates, man werde die Entwicklung der Preise und der Löhne in den kommenden Monaten genau beobachten.",
         "Ökonomen hatten mit der Entscheidung gerechnet. Viele erwarten eine weitere Zinssenkung frühestens im Herbst, wenn neue Prognosen der Notenbank vorliegen.",
         "An den Finanzmärkten reagierten die Anleger gelassen, der Euro blieb gegenüber dem Dollar nahezu unverändert."),
        lambda t: t.replace("ß", "ss"),
    ),
    Story(
        "tr",
        ("İstanbul'da dün akşam saatlerinde etkili olan sağanak yağış, kentin birçok ilçesinde su baskınlarına yol açtı. Bazı ana yollarda trafik saatlerce durma noktasına geldi.",
         "Meteoroloji Genel Müdürlüğü'nden yapılan açıklamaya göre, bazı bölgelerde bir saat içinde metrekareye elli kilogramın üzerinde yağış düştü.",
         "İtfaiye ekipleri, su basan iş yerlerinde ve bodrum katlarında mahsur kalan vatandaşları kurtarmak için gece boyunca çalıştı. Kadıköy ve Üsküdar'da birçok dükkânı su bastı.",
         "Büyükşehir Belediyesi, altyapı çalışmalarının sürdüğünü ve yağmur suyu kanallarının temizlenmesi için ek ekiplerin görevlendirildiğini bildirdi.",
         "Uzmanlar, önümüzdeki günlerde de kuvvetli yağışların beklendiğini belirterek, vatandaşların dere yataklarından ve alt geçitlerden uzak durması gerektiği uyarısında bulundu.",
         "Yağış nedeniyle can kaybı yaşanmadığı bildirildi."),
        ("İstanbul'u sağanak vurdu",
         "Kadıköy'de dükkânı su basan bir esnaf, \"Her yıl aynı şeyi yaşıyoruz, kimse önlem almıyor\" dedi."),
        ("dün akşam saatlerinde", "salı akşamı saatlerinde"),
        ("Ankara'da bugün açıklanan verilere göre, yıllık enflasyon haziran ayında bir önceki aya göre gerileyerek yüzde yetmiş birin altına indi.",
         "Ekonomistler, gıda ve enerji fiyatlarındaki yavaşlamanın enflasyondaki düşüşte belirleyici olduğunu belirtti.",
         "Merkez Bankası, sıkı para politikasının enflasyon kalıcı olarak düşene kadar süreceğini daha önce açıklamıştı.",
         "Piyasalar, önümüzdeki ay yapılacak faiz kararını yakından takip ediyor."),
        _caps_lead,
    ),
]

#: every article of the corpus: three per language
ARTICLES = [a for s in STORIES for a in (s.original(), s.reprint(), s.other())]

"""Real public-domain prose in each language narrator narrates offline besides English,
for measuring how Whisper base hears Kokoro (``bench/bench_language_thresholds.py``).

Opening lines and well-known passages of novels and stories whose authors died before
1950, quoted from memory: close to the editions, not checked against one word for word.
What matters here is real prose of the language (its names, its punctuation, its
sentence lengths), not the edition. Numbers are left out (written in words where the
original has them): spoken numbers are the business of ``normalize_words``, not of the
hearing measured here.
"""

# One passage a line, as quoted, however long.
# ruff: noqa: E501

from __future__ import annotations

PASSAGES: dict[str, tuple[str, ...]] = {
    "es": (
        # Cervantes, Don Quijote de la Mancha (1605)
        "En un lugar de la Mancha, de cuyo nombre no quiero acordarme, no ha mucho tiempo que vivía un hidalgo de los de lanza en astillero, adarga antigua, rocín flaco y galgo corredor.",
        "Frisaba la edad de nuestro hidalgo con los cincuenta años; era de complexión recia, seco de carnes, enjuto de rostro, gran madrugador y amigo de la caza.",
        "Finalmente, rematado ya su juicio, vino a dar en el más extraño pensamiento que jamás dio loco en el mundo.",
        "Mire vuestra merced, respondió Sancho, que aquellos que allí se parecen no son gigantes, sino molinos de viento, y lo que en ellos parecen brazos son las aspas.",
        "La libertad, Sancho, es uno de los más preciosos dones que a los hombres dieron los cielos; con ella no pueden igualarse los tesoros que encierra la tierra ni el mar encubre.",
        "Sancho amigo, has de saber que yo nací, por querer del cielo, en esta nuestra edad de hierro, para resucitar en ella la de oro.",
        # Lazarillo de Tormes (1554)
        "Pues sepa vuestra merced, ante todas cosas, que a mí llaman Lázaro de Tormes, hijo de Tomé González y de Antona Pérez, naturales de Tejares, aldea de Salamanca.",
        "Mi nacimiento fue dentro del río Tormes, por la cual causa tomé el sobrenombre; y fue de esta manera.",
        # Clarín, La Regenta (1884)
        "La heroica ciudad dormía la siesta. El viento Sur, caliente y perezoso, empujaba las nubes blanquecinas que se rasgaban al correr hacia el Norte.",
        # Galdós, Marianela (1878)
        "Se puso el sol. Tras el breve crepúsculo vino tranquila y oscura la noche, en cuyo negro seno murieron poco a poco los últimos rumores de la tierra soñolienta.",
        # Galdós, Doña Perfecta (1876)
        "Cuando el tren mixto descendente se detuvo en la pequeña estación, casi todos los viajeros de segunda y tercera clase se quedaron durmiendo o bostezando dentro de los coches.",
        # Galdós, Fortunata y Jacinta (1887)
        "Las noticias más remotas que tengo de la persona que lleva este nombre me las ha dado Jacinto María Villalonga, y alcanzan al tiempo en que este amigo mío iba a las aulas de la Universidad.",
        # Valera, Pepita Jiménez (1874)
        "Querido tío y venerado maestro: hace cuatro días que llegué con toda felicidad a este mi lugar natal, donde he hallado bien de salud a mi padre, al señor vicario y a los amigos y parientes.",
        # Unamuno, Niebla (1914)
        "Al aparecer Augusto a la puerta de su casa extendió el brazo derecho, con la mano palma abajo y abierta, y dirigiendo los ojos al cielo quedóse un momento parado en esta actitud estatuaria y augusta.",
        "No era que tomaba posesión del mundo exterior, sino que observaba si llovía.",
        # Bécquer, Rimas (1871)
        "Volverán las oscuras golondrinas en tu balcón sus nidos a colgar, y otra vez con el ala a sus cristales jugando llamarán.",
        # Cervantes, Don Quijote
        "En esto, descubrieron treinta o cuarenta molinos de viento que hay en aquel campo, y así como don Quijote los vio, dijo a su escudero que la ventura iba guiando sus cosas mejor de lo que acertaran a desear.",
        "Una olla de algo más vaca que carnero, salpicón las más noches, duelos y quebrantos los sábados, lentejas los viernes, consumían las tres partes de su hacienda.",
        # Blasco Ibáñez, La barraca (1898)
        "Desperezábase la inmensa vega bajo el resplandor azulado del amanecer, ancha faja de luz que asomaba por la parte del Mediterráneo.",
        # Pardo Bazán, Los pazos de Ulloa (1886)
        "Por más que el jinete trataba de sujetarlo agarrando las riendas, el caballo descendía la cuesta con un trote cochinero que le sacudía las entrañas.",
    ),
    "fr": (
        # Flaubert, Madame Bovary (1857)
        "Nous étions à l'étude, quand le proviseur entra, suivi d'un nouveau habillé en bourgeois et d'un garçon de classe qui portait un grand pupitre.",
        "Ceux qui dormaient se réveillèrent, et chacun se leva comme surpris dans son travail.",
        # Proust, Du côté de chez Swann (1913)
        "Longtemps, je me suis couché de bonne heure. Parfois, à peine ma bougie éteinte, mes yeux se fermaient si vite que je n'avais pas le temps de me dire : Je m'endors.",
        # Hugo, Les Misérables (1862)
        "Jean Valjean était d'une pauvre famille de paysans de la Brie. Dans son enfance, il n'avait pas appris à lire.",
        # Dumas, Les Trois Mousquetaires (1844)
        "Figurez-vous don Quichotte à dix-huit ans, don Quichotte décorselé, sans haubert et sans cuissards, don Quichotte revêtu d'un pourpoint de laine.",
        # Maupassant, Boule de suif (1880)
        "Pendant plusieurs jours de suite des lambeaux d'armée en déroute avaient traversé la ville.",
        # Maupassant, La Parure (1884)
        "C'était une de ces jolies et charmantes filles, nées, comme par une erreur du destin, dans une famille d'employés.",
        # Voltaire, Candide (1759)
        "Il y avait en Westphalie, dans le château de monsieur le baron, un jeune garçon à qui la nature avait donné les mœurs les plus douces.",
        # Zola, Germinal (1885)
        "Dans la plaine rase, sous la nuit sans étoiles, d'une obscurité et d'une épaisseur d'encre, un homme suivait seul la grande route de Marchiennes à Montsou.",
        # Stendhal, Le Rouge et le Noir (1830)
        "La petite ville de Verrières peut passer pour l'une des plus jolies de la Franche-Comté.",
        # Balzac, Le Père Goriot (1835)
        "Madame Vauquer, née de Conflans, est une vieille femme qui, depuis quarante ans, tient à Paris une pension bourgeoise.",
        # Verne, Voyage au centre de la Terre (1864)
        "Le dimanche vingt-quatre mai, mon oncle, le professeur Lidenbrock, revint précipitamment vers sa petite maison.",
        # Verne, Vingt mille lieues sous les mers (1870)
        "L'année fut marquée par un événement bizarre, un phénomène inexpliqué et inexplicable que personne n'a sans doute oublié.",
        # Verne, Le Tour du monde en quatre-vingts jours (1872)
        "Phileas Fogg était l'un des membres les plus singuliers et les plus remarqués du Reform-Club de Londres, bien qu'il semblât prendre à tâche de ne rien faire qui pût attirer l'attention.",
        # Hugo, Notre-Dame de Paris (1831)
        "Les Parisiens s'éveillèrent au bruit de toutes les cloches sonnant à grande volée dans la triple enceinte de la Cité, de l'Université et de la Ville.",
        # Alain-Fournier, Le Grand Meaulnes (1913)
        "Il arriva chez nous un dimanche de novembre.",
        # Daudet, Lettres de mon moulin (1869)
        "C'est un ancien moulin à vent, situé dans la vallée du Rhône, au beau milieu de la Provence, sur une côte boisée de sapins et de chênes verts.",
        # Flaubert, Un cœur simple (1877)
        "Pendant un demi-siècle, les bourgeoises de Pont-l'Évêque envièrent à Madame Aubain sa servante Félicité.",
        # Hugo, Les Misérables
        "Il était évêque de Digne. C'était un vieillard d'environ soixante-quinze ans.",
        # Maupassant, Le Horla (1887)
        "Quelle journée admirable ! J'ai passé toute la matinée étendu sur l'herbe, devant ma maison, sous l'énorme platane qui la couvre, l'abrite et l'ombrage tout entière.",
    ),
    "it": (
        # Collodi, Le avventure di Pinocchio (1883)
        "C'era una volta... Un re! diranno subito i miei piccoli lettori. No, ragazzi, avete sbagliato. C'era una volta un pezzo di legno.",
        "Non era un legno di lusso, ma un semplice pezzo da catasta, di quelli che d'inverno si mettono nelle stufe e nei caminetti per accendere il fuoco e per riscaldare le stanze.",
        "Appena maestro Ciliegia ebbe visto quel pezzo di legno, si rallegrò tutto; e dandosi una fregatina di mani per la contentezza, borbottò a mezza voce.",
        "Gli occhi erano fatti, ma figuratevi la sua maraviglia quando si accorse che gli occhi si muovevano e che lo guardavano fisso fisso.",
        "Io non voglio andare a scuola, voglio correre dietro alle farfalle e salire su per gli alberi a prendere gli uccellini di nido.",
        "Geppetto, tornato a casa, cominciò subito a lavorare e a fabbricarsi il suo burattino.",
        # Manzoni, I promessi sposi (1842)
        "Quel ramo del lago di Como, che volge a mezzogiorno, tra due catene non interrotte di monti, tutto a seni e a golfi, vien quasi a un tratto a ristringersi, e a prender corso e figura di fiume.",
        "Don Abbondio, il lettore se n'è già avveduto, non era nato con un cuor di leone.",
        "Questo matrimonio non s'ha da fare, né domani, né mai.",
        "Addio, monti sorgenti dall'acque, ed elevati al cielo; cime inuguali, note a chi è cresciuto tra voi, e impresse nella sua mente.",
        # Verga, I Malavoglia (1881)
        "Un tempo i Malavoglia erano stati numerosi come i sassi della strada vecchia di Trezza; ce n'erano persino ad Ognina, e ad Aci Castello, tutti buona e brava gente di mare.",
        # De Amicis, Cuore (1886)
        "Oggi primo giorno di scuola. Passarono come un sogno quei tre mesi di vacanza in campagna!",
        # Pirandello, Il fu Mattia Pascal (1904)
        "Una delle poche cose, anzi forse la sola ch'io sapessi di certo era questa: che mi chiamavo Mattia Pascal.",
        # Svevo, La coscienza di Zeno (1923)
        "Il dottore al quale ne parlai mi disse di iniziare il mio lavoro con un'analisi storica della mia propensione al fumo.",
        # Verga, Rosso Malpelo (1878)
        "Malpelo si chiamava così perché aveva i capelli rossi; ed aveva i capelli rossi perché era un ragazzo malizioso e cattivo.",
        # Collodi, Pinocchio
        "Il Grillo-parlante gli disse: Guai a quei ragazzi che si ribellano ai loro genitori e che abbandonano capricciosamente la casa paterna!",
        "La casa di Geppetto era una stanzina terrena, che pigliava luce da un sottoscala.",
        # Salgari, Le tigri di Mompracem (1900)
        "La notte del venti dicembre, un uragano violentissimo imperversava sopra Mompracem, isola selvaggia, di fama sinistra, covo di formidabili pirati.",
        # Fogazzaro, Piccolo mondo antico (1895)
        "Sul lago di Lugano, nel paese di Albogasio, viveva una vecchia signora che tutti chiamavano la marchesa.",
        # Deledda, Canne al vento (1913)
        "Tutto il giorno Efix, il servo delle dame Pintor, aveva lavorato a rinforzare l'argine primitivo da lui stesso costruito per riparare il poderetto.",
    ),
    "pt-BR": (
        # Machado de Assis, Dom Casmurro (1899)
        "Uma noite destas, vindo da cidade para o Engenho Novo, encontrei no trem da Central um rapaz aqui do bairro, que eu conheço de vista e de chapéu.",
        "Cumprimentou-me, sentou-se ao pé de mim, falou da lua e dos ministros, e acabou recitando-me versos.",
        "Não consultes dicionários. Casmurro não está aqui no sentido que eles lhe dão, mas no que lhe pôs o vulgo de homem calado e metido consigo.",
        "O meu fim evidente era atar as duas pontas da vida, e restaurar na velhice a adolescência.",
        # Machado de Assis, Memórias póstumas de Brás Cubas (1881)
        "Ao verme que primeiro roeu as frias carnes do meu cadáver dedico como saudosa lembrança estas memórias póstumas.",
        "Algum tempo hesitei se devia abrir estas memórias pelo princípio ou pelo fim, isto é, se poria em primeiro lugar o meu nascimento ou a minha morte.",
        # Machado de Assis, O alienista (1882)
        "As crônicas da vila de Itaguaí dizem que em tempos remotos vivera ali um certo médico, o doutor Simão Bacamarte, filho da nobreza da terra e o maior dos médicos do Brasil.",
        "A ciência, disse ele a Sua Majestade, é o meu emprego único; Itaguaí é o meu universo.",
        # José de Alencar, Iracema (1865)
        "Verdes mares bravios de minha terra natal, onde canta a jandaia nas frondes da carnaúba.",
        "Além, muito além daquela serra, que ainda azula no horizonte, nasceu Iracema, a virgem dos lábios de mel, que tinha os cabelos mais negros que a asa da graúna.",
        # Aluísio Azevedo, O cortiço (1890)
        "João Romão foi, dos treze aos vinte e cinco anos, empregado de um vendeiro que enriqueceu entre as quatro paredes de uma suja e obscura taverna.",
        # Eça de Queirós, Os Maias (1888)
        "A casa que os Maias vieram habitar em Lisboa era conhecida na vizinhança da rua de São Francisco de Paula por a casa do Ramalhete.",
        # Machado de Assis, Quincas Borba (1891)
        "Rubião fitava a enseada, eram oito horas da manhã. Quem o visse, com os polegares metidos no cordão do chambre, à janela de uma grande casa de Botafogo, cuidaria que ele admirava aquele pedaço de água quieta.",
        # Lima Barreto, Triste fim de Policarpo Quaresma (1915)
        "Como de hábito, Policarpo Quaresma, mais conhecido por Major Quaresma, bateu em casa às quatro e quinze da tarde.",
        # Manuel Antônio de Almeida, Memórias de um sargento de milícias (1854)
        "Era no tempo do rei. Uma das quatro esquinas que formam as ruas do Ouvidor e da Quitanda chamava-se naquele tempo o canto dos meirinhos.",
        # Machado de Assis, A cartomante (1884)
        "Hamlet observa a Horácio que há mais cousas no céu e na terra do que sonha a nossa filosofia.",
        # Euclides da Cunha, Os sertões (1902)
        "O sertanejo é, antes de tudo, um forte.",
        # Machado de Assis, Dom Casmurro
        "Capitu deu-me as costas, voltando-se para o espelhinho. Peguei-lhe dos cabelos, colhi-os todos e entrei a alisá-los com o pente.",
        # Raul Pompeia, O Ateneu (1888)
        "Vais encontrar o mundo, disse-me meu pai, à porta do Ateneu. Coragem para a luta.",
        # Bernardo Guimarães, A escrava Isaura (1875)
        "Era nos primeiros anos do reinado do senhor Dom Pedro Segundo. No fértil e opulento município de Campos de Goitacases, à margem do Paraíba, existia uma linda e magnífica fazenda.",
    ),
    "hi": (
        # Premchand, Idgah (1933)
        "रमज़ान के पूरे तीस रोज़ों के बाद ईद आई है। कितना मनोहर, कितना सुहावना प्रभात है।",
        "वृक्षों पर अजीब हरियाली है, खेतों में कुछ अजीब रौनक है, आसमान पर कुछ अजीब लालिमा है।",
        "आज का सूर्य देखो, कितना प्यारा, कितना शीतल है, यानी संसार को ईद की बधाई दे रहा है।",
        "गाँव में कितनी हलचल है। ईदगाह जाने की तैयारियाँ हो रही हैं।",
        "हामिद चार-पाँच साल का गरीब सूरत, दुबला-पतला लड़का, जिसका बाप गत वर्ष हैजे की भेंट हो गया।",
        "अब हामिद अपनी बूढ़ी दादी अमीना की गोद में सोता है और उतना ही प्रसन्न है।",
        "उसके अब्बाजान रुपये कमाने गए हैं। बहुत-सी थैलियाँ लेकर आएँगे।",
        "और सबसे ज़्यादा प्रसन्न है हामिद।",
        # Premchand, Do Bailon ki Katha (1931)
        "जानवरों में गधा सबसे ज्यादा बुद्धिहीन समझा जाता है।",
        "हम जब किसी आदमी को पहले दर्जे का बेवकूफ कहना चाहते हैं, तो उसे गधा कहते हैं।",
        "झूरी काछी के दोनों बैलों के नाम थे हीरा और मोती। दोनों देखने में सुंदर, काम में चौकस, डील में ऊँचे थे।",
        # Premchand, Kafan (1936)
        "झोपड़े के द्वार पर बाप और बेटा दोनों एक बुझे हुए अलाव के सामने चुपचाप बैठे हुए हैं।",
        "रह-रहकर उसके मुँह से ऐसी दिल हिला देने वाली आवाज़ निकलती थी कि दोनों कलेजा थाम लेते थे।",
        "जाड़ों की रात थी, प्रकृति सन्नाटे में डूबी हुई, सारा गाँव अंधकार में लय हो गया था।",
        # Premchand, Poos ki Raat (1930)
        "हल्कू ने आकर स्त्री से कहा, सहना आया है, लाओ, जो रुपये रखे हैं, उसे दे दूँ।",
        "पूस की अँधेरी रात! आकाश पर तारे भी ठिठुरते हुए मालूम होते थे।",
        # Premchand, Bade Bhai Sahab (1910s)
        "मेरे भाई साहब मुझसे पाँच साल बड़े थे, लेकिन केवल तीन दरजे आगे।",
        "वह स्वभाव से बड़े अध्ययनशील थे। हरदम किताब खोले बैठे रहते।",
        # Premchand, Namak ka Daroga (1913)
        "जब नमक का नया विभाग बना और ईश्वरप्रदत्त वस्तु के व्यवहार करने का निषेध हो गया, तो लोग चोरी-छिपे इसका व्यापार करने लगे।",
        # Premchand, Panch Parmeshwar (1916)
        "जुम्मन शेख और अलगू चौधरी में गाढ़ी मित्रता थी। साझे में खेती होती थी।",
    ),
    "zh": (
        # 鲁迅《秋夜》(1924)
        "在我的后园，可以看见墙外有两株树，一株是枣树，还有一株也是枣树。",
        "这上面的夜的天空，奇怪而高，我生平没有见过这样奇怪而高的天空。",
        "枣树，他们简直落尽了叶子。",
        # 鲁迅《故乡》(1921)
        "时候既然是深冬；渐近故乡时，天气又阴晦了，冷风吹进船舱中，呜呜的响。",
        "从篷隙向外一望，苍黄的天底下，远近横着几个萧索的荒村，没有一些活气。",
        "我的心禁不住悲凉起来了。",
        "其实地上本没有路，走的人多了，也便成了路。",
        "这时候，我的脑里忽然闪出一幅神异的图画来：深蓝的天空中挂着一轮金黄的圆月，下面是海边的沙地，都种着一望无际的碧绿的西瓜。",
        "我所记得的故乡全不如此。我的故乡好得多了。",
        # 鲁迅《孔乙己》(1919)
        "鲁镇的酒店的格局，是和别处不同的：都是当街一个曲尺形的大柜台，柜里面预备着热水，可以随时温酒。",
        "孔乙己是站着喝酒而穿长衫的唯一的人。",
        "他身材很高大；青白脸色，皱纹间时常夹些伤痕；一部乱蓬蓬的花白的胡子。",
        # 鲁迅《狂人日记》(1918)
        "今天晚上，很好的月光。我不见他，已是三十多年；今天见了，精神分外爽快。",
        # 鲁迅《从百草园到三味书屋》(1926)
        "我家的后面有一个很大的园，相传叫作百草园。",
        "不必说碧绿的菜畦，光滑的石井栏，高大的皂荚树，紫红的桑葚；也不必说鸣蝉在树叶里长吟。",
        "肥胖的黄蜂伏在菜花上，轻捷的叫天子忽然从草间直窜向云霄里去了。",
        # 鲁迅《祝福》(1924)
        "旧历的年底毕竟最像年底，村镇上不必说，就在天空中也显出将到新年的气象来。",
        # 鲁迅《社戏》(1922)
        "那夜似乎月色很好，豆麦和河底的水草所发散出来的清香，夹杂在水气中扑面的吹来。",
        # 鲁迅《藤野先生》(1926)
        "东京也无非是这样。上野的樱花烂熳的时节，望去确也像绯红的轻云。",
        # 鲁迅《阿长与山海经》(1926)
        "长妈妈，已经说过，是一个一向带领着我的女工，说得阔气一点，就是我的保姆。",
    ),
    "ja": (
        # 夏目漱石『吾輩は猫である』(1905)
        "吾輩は猫である。名前はまだ無い。",
        "どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。",
        "吾輩はここで始めて人間というものを見た。",
        # 夏目漱石『坊っちゃん』(1906)
        "親譲りの無鉄砲で小供の時から損ばかりしている。",
        "小学校に居る時分学校の二階から飛び降りて一週間ほど腰を抜かした事がある。",
        "おやじはちっともおれを可愛がってくれなかった。母は兄ばかり贔屓にしていた。",
        # 夏目漱石『草枕』(1906)
        "山路を登りながら、こう考えた。智に働けば角が立つ。情に棹させば流される。",
        "意地を通せば窮屈だ。とかくに人の世は住みにくい。",
        # 夏目漱石『こころ』(1914)
        "私はその人を常に先生と呼んでいた。だからここでもただ先生と書くだけで本名は打ち明けない。",
        # 芥川龍之介『羅生門』(1915)
        "ある日の暮方の事である。一人の下人が、羅生門の下で雨やみを待っていた。",
        "広い門の下には、この男のほかに誰もいない。",
        # 芥川龍之介『蜘蛛の糸』(1918)
        "ある日の事でございます。御釈迦様は極楽の蓮池のふちを、独りでぶらぶら御歩きになっていらっしゃいました。",
        # 宮沢賢治『注文の多い料理店』(1924)
        "二人の若い紳士が、すっかりイギリスの兵隊のかたちをして、ぴかぴかする鉄砲をかついで、白熊のような犬を二疋つれて、だいぶ山奥の、木の葉のかさかさしたとこを歩いておりました。",
        # 宮沢賢治『雨ニモマケズ』(1931)
        "雨にも負けず、風にも負けず、雪にも夏の暑さにも負けぬ、丈夫なからだを持ち。",
        # 太宰治『走れメロス』(1940)
        "メロスは激怒した。必ず、かの邪智暴虐の王を除かなければならぬと決意した。",
        "メロスには政治がわからぬ。メロスは、村の牧人である。笛を吹き、羊と遊んで暮して来た。",
        # 宮沢賢治『銀河鉄道の夜』(1934)
        "ではみなさんは、そういうふうに川だと云われたり、乳の流れたあとだと云われたりしていたこのぼんやりと白いものがほんとうは何かご承知ですか。",
        # 樋口一葉『たけくらべ』(1895)
        "廻れば大門の見返り柳いと長けれど、お歯ぐろ溝に燈火うつる三階の騒ぎも手に取る如く。",
        # 森鷗外『高瀬舟』(1916)
        "高瀬舟は京都の高瀬川を上下する小舟である。",
        # 芥川龍之介『鼻』(1916)
        "禅智内供の鼻と云えば、池の尾で知らない者はない。",
    ),
}

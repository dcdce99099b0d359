/**
 * self_explanation: a passage that comments on its own relevance ("This passage is relevant
 * because…", "该文档并未回答查询…", "이 문서는 … 어려운 부정 예시입니다").
 *
 * Sentence-level scoring. Each language has pattern groups; a sentence's score is the sum of the
 * weights of the groups it matches:
 *
 *   self        0.30  the text naming itself: "this passage/document", "该文档", "この文書", "이 문서"
 *   selfWeak    0.20  a definite reference: "the passage", "der Text", "le document"
 *   pronoun     0.10  "it", "它", "これ", "이것" (subject pronoun; cheap but common)
 *   relevance   0.35  relevant / irrelevant / related to / 相关 / 関連 / 관련 / pertinent…
 *   bare        0.25  relevance with no complement: "is relevant because", "ist relevant, weil"
 *   answer      0.25  answers / addresses / responds / 回答 / 答え / 답하
 *   target      0.45  the retrieval context: the query, the user's question, the search / 查询 / クエリ / 쿼리
 *   targetWeak  0.15  "question", "topic", "user"
 *   composite   0.50  relation and retrieval target fused (与查询相关, クエリに関連, 질문과 관련)
 *   label       0.55  training-data vocabulary: hard negative, negative example, 负例, 負例, 부정 예시
 *   role        0.25  the label as the text's role: "as a negative example", "作为负例", "負例として"
 *   intent      0.30  authoring intent: "deliberately", "was written to", "刻意", "意図的に", "일부러"
 *   meta        0.25  a remark marker at the start: "Note:", "Explanation:", "注：", "참고:"
 *   causal      0.10  because / therefore / 因为 / ため / 때문
 *   denial      0.15  a denied answer: "does not answer", "并未回答", "答えていない", "답하지 않"
 *   generic    −0.40  a generic subject ("a document is relevant if…", "documents relevant to…")
 *
 * Redundant weaker forms do not add up (self drops selfWeak and pronoun; target or composite drop
 * targetWeak). In English, German, French and Spanish a sentence without an anchor (self,
 * selfWeak, pronoun, meta, label, bare) is scaled by 0.8: "The search engine returns documents
 * relevant to the user's query" is prose about retrieval, not a remark about the passage.
 *
 * A sentence is flagged when its score reaches `threshold` (0.8) and it matches at least one of
 * relevance, answer, target, composite or label (so "This document describes the leave policy",
 * "本文介绍了…" and "Note: the museum is closed on holidays" never qualify). "Answers the question
 * of whether…" (self + answer + weak target = 0.70) stays below the threshold; "relevant to all
 * employees because…" (self + relevance + causal = 0.75) too. Labels in classification data
 * ("This text is labeled as X because…") and similarity remarks in STS ("This sentence is similar
 * to the first one because…") are covered by the relevance/target groups of each language.
 *
 * Speed: a passage is only split into sentences when one of the trigger groups matches somewhere.
 */
import { z } from "zod";
import { languageCode } from "@/lib/formats/language";
import { clamp01, evidence, type FieldText, fieldsOf, makeFlag } from "./common";
import { sentenceAt } from "./text";
import type { Detector, DetectRecord, Evidence, Flag } from "./types";

const VERSION = 1;

export const selfExplanationOptions = z.object({
  /** Sentence score needed to flag. */
  threshold: z.number().min(0).max(2).default(0.8),
  /** Also read the query when it is a long text (long-short input_text, long-long input). */
  scanLongQueries: z.boolean().default(true),
  /** At most this many evidence sentences per flagged text. */
  maxEvidence: z.number().int().positive().default(3),
});
export type SelfExplanationOptions = z.infer<typeof selfExplanationOptions>;

type Group =
  | "self"
  | "selfWeak"
  | "pronoun"
  | "relevance"
  | "bare"
  | "answer"
  | "target"
  | "targetWeak"
  | "composite"
  | "label"
  | "role"
  | "intent"
  | "meta"
  | "causal"
  | "denial"
  | "generic";

const WEIGHTS: Record<Group, number> = {
  self: 0.3,
  selfWeak: 0.2,
  pronoun: 0.1,
  relevance: 0.35,
  bare: 0.25,
  answer: 0.25,
  target: 0.45,
  targetWeak: 0.15,
  composite: 0.5,
  label: 0.55,
  role: 0.25,
  intent: 0.3,
  meta: 0.25,
  causal: 0.1,
  denial: 0.15,
  generic: -0.4,
};
/** Groups that anchor a sentence on the text itself (or on a remark); see ANCHOR_FACTOR. */
const ANCHORS: Group[] = ["self", "selfWeak", "pronoun", "meta", "label", "role", "bare"];
/**
 * In languages with explicit subjects (en, de, fr, es), a sentence with no anchor ("The search
 * engine returns documents relevant to the user's query") is scaled down: it is more often prose
 * about retrieval than a remark about the passage. Chinese, Japanese and Korean drop subjects.
 */
const ANCHOR_FACTOR = 0.8;
const SUBJECT_LANGS = new Set(["en", "de", "fr", "es"]);
const GATES: Group[] = ["relevance", "answer", "target", "composite", "label"];
const OTHERS = (Object.keys(WEIGHTS) as Group[]).filter((g) => !GATES.includes(g));

type Lexicon = Partial<Record<Group, RegExp>>;

/** Word boundaries that work for non-ASCII letters (JS \b is ASCII-only). */
const B = "(?<![\\p{L}\\p{N}_])";
const E = "(?![\\p{L}\\p{N}_])";
const w = (alternatives: string, flags = "iu"): RegExp => new RegExp(`${B}(?:${alternatives})${E}`, flags);
const raw = (source: string, flags = "iu"): RegExp => new RegExp(source, flags);

const EN: Lexicon = {
  self: w(
    "(?:this|these|the\\s+(?:above|following|given|provided|present|current|preceding|retrieved|candidate|selected|quoted))\\s+(?:passages?|documents?|texts?|articles?|paragraphs?|excerpts?|snippets?|entry|content|examples?|sentences?|piece|page|response|answer|review|section|chunk|result|doc|input|statement|post|comment|summary|extract)|(?:the|this)\\s+(?:passage|document|text|excerpt|snippet)\\s+(?:above|below|here)",
  ),
  selfWeak: w(
    "the\\s+(?:passage|document|text|excerpt|snippet|paragraph|article|content|sentence|review|input)",
  ),
  pronoun: raw(
    `(?:^|[,;:]\\s*|${B}(?:but|and|so|though|although|while|yet|because|as|why|since)\\s+)(?:it${E}|they${E}|(?:this|that)(?=\\s+(?:is|was|does|did|doesn['’]t|isn['’]t|only|merely|just|also|one|text|passage)${E}))`,
  ),
  relevance: w(
    "relevant|irrelevant|relevance|relevancy|pertinent|related\\s+to|unrelated|off[-\\s]topic|on[-\\s]topic|nothing\\s+to\\s+do\\s+with|no\\s+(?:direct\\s+)?(?:bearing|connection|relation)|not\\s+(?:directly\\s+|really\\s+)?(?:related|connected|linked)|(?:is|are)\\s+(?:semantically\\s+)?(?:similar|equivalent)\\s+to|(?:semantically|very|quite|closely)\\s+(?:similar|related|equivalent)|similar\\s+in\\s+meaning|(?:they|both)\\s+(?:are|mean)\\s+(?:\\w+\\s+)?(?:similar|the\\s+same)|paraphrases?|same\\s+meaning|labell?ed\\s+as|classified\\s+(?:as|under)|categori[sz]ed\\s+as|(?:belongs|fits)\\s+(?:in|into|to|under)\\s+the\\s+(?:category|class|label)|matches|aligns?\\s+with|on\\s+point|useful\\s+for\\s+(?:the|this)\\s+(?:query|question)|keywords?|key\\s+terms|search\\s+terms|query\\s+terms|(?:looks?|seems?|appears?|sounds?)\\s+(?:related|relevant|similar|on[-\\s]topic)|(?:best|good|top|strong|perfect|poor|weak|close)\\s+match(?:es)?|topically\\s+(?:similar|related|close|relevant)|near[-\\s]miss|(?:unlike|contrary\\s+to)\\s+what|information\\s+(?:\\w+\\s+){0,4}(?:looking|searching)\\s+for|information\\s+(?:sought|requested|needed|asked\\s+for)",
  ),
  bare: raw(
    `${B}(?:is|are|was|seems|remains|be|being|not|stays)\\s+(?:(?:highly|very|directly|quite|particularly|clearly|somewhat|only|partially|partly|not|fully|still|therefore|thus|also|indeed|hence|entirely|completely|largely|tangentially|marginally|less)\\s+)*(?:relevant|irrelevant|pertinent)(?=\\s*[,.;:!?)—–-]|\\s*$|\\s+(?:because|as|since|given|due|but|although|though|yet|here|overall|in\\s+this\\s+case|and)${E})`,
    "iu",
  ),
  answer: w(
    "answers|answered|answering|answer|address(?:es|ed|ing)?|respond(?:s|ed|ing)?\\s+to|satisf(?:y|ies|ied|ying)|fulfil(?:l|ls|led|s|ling)?|resolves?|speaks?\\s+(?:directly\\s+)?to|covers?\\s+the\\s+(?:query|question)|tackles?|help(?:s)?\\s+(?:answer|with\\s+the\\s+(?:query|question))|resolv(?:e|es|ed|ing)|(?:correct|right|wrong|incorrect|specific|direct|actual)\\s+answer|covers?\\s+what|help(?:s|ful)?\\s+(?:someone|anyone|a\\s+user|the\\s+user|people|whoever)",
  ),
  target: w(
    "(?:the\\s+|this\\s+|a\\s+)?(?:user|users|searcher|asker|reader|customer|person)['’]?s?['’]?\\s+(?:question|query|search|request|intent|need|information\\s+need|prompt|inquiry|enquiry)|(?:the|this|given|original|input|search|target|initial|specific)\\s+(?:query|queries|search\\s+query|search\\s+intent|search\\s+request)|query|queries|search\\s+query|information\\s+need|the\\s+(?:question|prompt)\\s+(?:asked|above|posed|given|being\\s+asked|at\\s+hand)|the\\s+original\\s+question|the\\s+(?:searcher|asker)|what\\s+the\\s+(?:user|query|searcher|question|asker)\\s+(?:is\\s+)?(?:asking|asks|wants|needs|seeks|is\\s+looking\\s+for|asked)|what\\s+(?:was|is|the\\s+user\\s+(?:has\\s+)?)\\s*asked|the\\s+(?:first|other|second|original|source|reference|anchor)\\s+(?:sentence|one|text|statement)|both\\s+(?:sentences|texts|statements)|the\\s+(?:label|category|class)\\s+['\"“]?\\w+|(?:label|category)\\s+['\"“]",
  ),
  targetWeak: w(
    "the\\s+question|questions?|the\\s+user|the\\s+topic|topic|search|the\\s+reader|the\\s+prompt|asked",
  ),
  label: w(
    "(?:hard|difficult|challenging|tricky|strong|good|weak|easy)[-\\s]negatives?|negative\\s+(?:example|sample|passage|document|instance|candidate|pair|match)s?|positive\\s+(?:example|sample|passage|document|instance|candidate|pair|match)s?|distractors?|(?:a|the)\\s+(?:true|false)\\s+(?:positive|negative)|(?:ground[-\\s]truth|gold)\\s+(?:passage|answer|document|label)|relevance\\s+(?:score|rating|grade|level)?\\s*[:：=]?\\s*\\d|(?:positive|negative)\\s+(?:passage|document|text)|an?\\s+(?:\\w+\\s+)?negative(?=\\s*[.,;:!?)]|\\s*$)",
  ),
  meta: raw(
    "^\\s*[(\\[*_]*\\s*(?:note|notes|nb|n\\.b\\.|explanation|reasoning|rationale|justification|relevance|relevance\\s+(?:note|explanation|check|score|rating|grade|level|judge?ment)|why\\s+(?:this|it)(?:\\s+(?:is|was)|['’]s)\\s+(?:an?\\s+)?\\w+|comment|analysis|remark|caveat|disclaimer|evaluation|assessment|label|verdict)\\s*[*_]*\\s*[:：—–-]",
    "iu",
  ),
  denial: w(
    "(?:does|do|did)(?:\\s+not|n['’]t)\\s+(?:\\w+ly\\s+)?(?:answer|address|respond|satisfy|help\\s+answer|provide\\s+(?:an|the|any)\\s+answer)|fails?\\s+to\\s+(?:answer|address|respond)|(?:no|not\\s+an?)\\s+answer\\s+to|without\\s+answering|(?:lacks?|lacking|without)\\s+(?:the|a|an|any)\\s+(?:\\w+\\s+)?answer",
  ),
  intent: raw(
    `${B}(?:intentionally|deliberately|purposely|purposefully|on\\s+purpose|(?:was|were|is|are|been|being)\\s+(?:written|generated|designed|created|crafted|constructed|chosen|selected|included|meant|made)\\s+(?:to|as|so|for|in\\s+order)|I\\s+(?:wrote|generated|created|made|crafted|chose)|so\\s+that\\s+it\\s+(?:looks|seems|appears|sounds))${E}`,
    "iu",
  ),
  causal: w(
    "because|since|as\\s+it|as\\s+they|as\\s+the|therefore|thus|hence|so\\s+it|which\\s+(?:is\\s+)?why|making\\s+(?:it|this)|due\\s+to|given\\s+that|this\\s+is\\s+why|that\\s+is\\s+why|consequently|for\\s+this\\s+reason",
  ),
  generic: raw(
    `^\\s*(?:(?:a|an|any|each|every|all|most|many|some|relevant|retrieved|such)\\s+(?:passages?|documents?|texts?|results?|pages?)|(?:documents|passages|texts|results|pages)${E})|${B}(?:a|any|each|every)\\s+(?:passage|document|text)\\s+(?:is|that|which)\\s+(?:considered\\s+)?(?:relevant|irrelevant)\\s+(?:if|when|only)`,
    "iu",
  ),
};

const DE: Lexicon = {
  self: w(
    "(?:dies(?:e[rsnm]?)?|vorliegende[rnsm]?|obige[rnsm]?|folgende[rnsm]?|gegebene[rnsm]?|genannte[rnsm]?|angegebene[rnsm]?)\\s+(?:Text(?:abschnitt|auszug|passage)?|Abschnitt|Dokument|Passage|Artikel|Absatz|Beitrag|Satz|Auszug|Eintrag|Beispiel|Inhalt|Antwort|Rezension|Bewertung|Kommentar|Fragment|Ausschnitt)",
  ),
  selfWeak: w(
    "(?:der|die|das|den|dem|des)\\s+(?:Text(?:abschnitt|auszug)?|Abschnitt|Dokument|Passage|Artikel|Absatz|Auszug|Inhalt|Ausschnitt|Satz)",
  ),
  pronoun: w("er|es|sie|dies|das"),
  relevance: w(
    "relevant|irrelevant|Relevanz|bezieht\\s+sich|beziehen\\s+sich|hat\\s+nichts|nichts\\s+zu\\s+tun|steht\\s+in\\s+keinem|kein(?:en)?\\s+(?:Bezug|Zusammenhang)|passt|passen|entspricht|themenfremd|Zusammenhang|zusammenhängt|vorbei|ähnelt|ähnlich|gleichbedeutend|eingestuft|klassifiziert|zugeordnet|kategorisiert|gehört\\s+zur\\s+Kategorie|trifft\\s+(?:nicht\\s+)?zu|zielführend|(?:nichts|wenig|kaum\\s+etwas)\\s+zu\\s+tun|(?:wirkt|scheint|erscheint)\\s+(?:\\S+\\s+)?(?:verwandt|relevant|passend|ähnlich)|verwandt\\s+wirk\\w*|knapp\\s+daneben|daneben|zum\\s+Thema\\s+passend|thematisch\\s+(?:ähnlich|passend|verwandt|nah)|anders\\s+als\\s+(?:vom|von\\s+der|die\\s+Anfrage|gefragt)|(?:beste[rn]?|gute[rn]?|passende[rn]?|schlechte[rn]?)\\s+Treffer|(?:gesuchte|gewünschte|benötigte)n?\\s+Informationen?|Informationen?,\\s+(?:nach\\s+der|die)\\s+(?:\\S+\\s+){0,3}(?:sucht|fragt|braucht)|Schlüsselw(?:ö|o)rt\\w*|Suchbegriff\\w*|Stichw(?:ö|o)rt\\w*",
  ),
  bare: raw(
    `${B}(?:ist|sind|wäre|war|scheint|bleibt)\\s+(?:(?:sehr|hoch|höchst|besonders|durchaus|direkt|nicht|kaum|wenig|nur|bedingt|teilweise|daher|somit|also|deshalb|völlig|ganz|eher|am\\s+Rande|nur\\s+am\\s+Rande)\\s+)*(?:relevant|irrelevant)(?=\\s*[,.;:!?)]|\\s*$|\\s+(?:weil|da|denn|aber|obwohl|jedoch)${E})`,
    "iu",
  ),
  answer: w(
    "beantwort\\w*|antwortet|Antwort\\s+auf|geht\\s+(?:\\S+\\s+){0,3}(?:auf|an)|eingeh\\w*|behandelt|adressiert|erfüllt|liefert|löst|deckt\\s+\\S+\\s+ab|(?:richtige|korrekte|falsche|passende|konkrete|direkte)n?\\s+Antwort|klär\\w*|weiterhelfen|hilft\\s+(?:\\S+\\s+)?(?:nicht|kaum)\\s+weiter",
  ),
  target: w(
    "(?:Such)?anfragen?|Suchanfragen?|Query|Suchbegriff\\w*|Suchintention|Suchabsicht|Nutzeranfrage|Benutzeranfrage|Informationsbedarf|(?:des|der)\\s+(?:Nutzers|Benutzers|Nutzerin|Benutzerin|Fragestellers|Fragestellerin|Suchenden|Anwenders)|Fragesteller\\w*|Suchende[nr]?|(?:das|dem)\\s+Gefragte[n]?|vom\\s+Nutzer\\s+gefragt|was\\s+die\\s+(?:Anfrage|Frage|Suche)\\s+(?:wissen\\s+will|sucht|verlangt)|(?:gestellte|ursprüngliche|eigentliche|obige)n?\\s+Frage|(?:dem|den)\\s+(?:ersten|anderen|zweiten)(?:\\s+(?:Satz|Text))?|weil\\s+beide|beide\\s+Sätze|Label|Kategorie\\s+['\"„]",
  ),
  targetWeak: w("Frage|Fragestellung|Nutzer|Benutzer|Suche|Thema|Kategorie"),
  label: w(
    "(?:schwierige[sn]?|harte[sn]?|schwere[sn]?|starke[sn]?)\\s+Negativ(?:beispiel)?e?s?|Negativbeispiel\\w*|Positivbeispiel\\w*|negative[sn]?\\s+Beispiel\\w*|positive[sn]?\\s+Beispiel\\w*|Hard[-\\s]Negative?s?|Negativ-Beispiel\\w*|Distraktor\\w*|Relevanz(?:bewertung|wert|score|stufe)?\\s*[:：=]\\s*\\d|(?:positive|negative)\\s+(?:Passage|Dokument|Text)|ein(?:e|en)?\\s+(?:\\S+\\s+)?Negativ(?:beispiel)?(?=\\s*[.,;:!?)]|\\s*$)",
  ),
  meta: raw(
    "^\\s*[(\\[*_]*\\s*(?:Hinweis|Anmerkung|Erklärung|Erläuterung|Begründung|Notiz|Bemerkung|Kommentar|Relevanz|Relevanz(?:bewertung|wert|score|stufe)|Warum\\s+(?:negativ|positiv|relevant|irrelevant)|NB|Fazit|Bewertung|Einordnung)\\s*[*_]*\\s*[:：—–-]",
    "iu",
  ),
  denial: raw(
    `${B}(?:beantwortet|behandelt|erfüllt)\\s+(?:\\S+\\s+){0,4}nicht${E}|${B}nicht\\s+(?:\\S+\\s+)?(?:beantwortet|beantworten|ein)${E}|${B}keine\\s+Antwort${E}|${B}geht\\s+(?:\\S+\\s+){0,4}nicht\\s+(?:\\S+\\s+){0,4}ein${E}`,
    "iu",
  ),
  intent: raw(
    `${B}(?:absichtlich|bewusst|gezielt|vorsätzlich|(?:wurde|ist|wird)\\s+(?:\\S+\\s+){0,3}(?:so\\s+)?(?:verfasst|geschrieben|erzeugt|generiert|gewählt|erstellt|konstruiert)|so\\s+(?:verfasst|geschrieben|formuliert),\\s+dass)${E}`,
    "iu",
  ),
  causal: w("weil|da|denn|daher|deshalb|somit|folglich|darum|weshalb|wodurch|sodass|insofern|deswegen|also"),
  generic: raw(
    `^\\s*(?:(?:ein|jedes|jeder|alle|viele|relevante)\\s+(?:Dokument|Text|Dokumente|Texte|Passagen|Ergebnisse))${E}`,
    "iu",
  ),
};

const FR: Lexicon = {
  self: w(
    "(?:ce|cet|cette|ces|le\\s+présent|la\\s+présente|ledit|ladite)\\s+(?:passages?|documents?|textes?|articles?|paragraphes?|extraits?|phrases?|contenus?|exemples?|avis|réponses?|fragments?|énoncés?|entrées?|commentaires?)|(?:le|la|l['’])\\s*(?:passage|document|texte|extrait)\\s+(?:ci-dessus|ci-dessous|fourni|donné|proposé|présent)",
  ),
  selfWeak: w(
    "(?:le|la|l['’])\\s*(?:passage|document|texte|article|paragraphe|extrait|contenu|phrase|énoncé)",
  ),
  pronoun: w("il|elle|cela|ceci|ça|c['’]est"),
  relevance: w(
    "pertinente?s?|non\\s+pertinente?s?|impertinente?s?|pertinence|hors[-\\s]sujet|sans\\s+rapport|aucun\\s+(?:rapport|lien)|n['’]a\\s+(?:aucun|rien|pas)\\s+(?:de\\s+)?(?:rapport|lien|à\\s+voir)|rien\\s+à\\s+voir|lien\\s+avec|rapport\\s+avec|se\\s+rapporte|correspond(?:ent)?|ne\\s+concerne\\s+pas|liée?s?\\s+(?:à|au|aux)|(?:sembler|semble|paraît|paraître)\\s+(?:\\S+\\s+)?(?:liée?|pertinente?|proche)|(?:meilleur|bon|mauvais)\\s+résultat|passe\\s+à\\s+côté|(?:proche|dans|hors)\\s+(?:du|le)\\s+(?:sujet|thème)|contrairement\\s+à\\s+ce\\s+que|information\\s+(?:recherchée|demandée|souhaitée|attendue)|similaire|semblable|équivalente?|classée?\\s+(?:comme|dans|en)|étiquetée?|catégorisée?|relève\\s+de|mots?[-\\s]clés?|termes\\s+de\\s+(?:la\\s+)?recherche",
  ),
  bare: raw(
    `${B}(?:est|sont|semble|reste|serait|n['’]est)\\s+(?:(?:très|tout\\s+à\\s+fait|particulièrement|directement|bien|pas|peu|hautement|donc|ainsi|vraiment|totalement|absolument|plutôt|guère)\\s+)*(?:pertinente?s?|non\\s+pertinente?s?)(?=\\s*[,.;:!?)]|\\s*$|\\s+(?:car|parce|puisque|mais|bien|même|quoique)${E})`,
    "iu",
  ),
  answer: w(
    "répond(?:ent|re|ait|rait|u|ant)?|réponse\\s+(?:à|directe|précise)|traite\\s+(?:pas|directement|bien)|aborde(?:nt|r)?|satisfait|résout|apporte\\s+(?:une|la|aucune)\\s+réponse|(?:bonne|mauvaise|vraie)\\s+réponse|réponse\\s+(?:précise|exacte|concrète|correcte)|couvre|trancher|tranche|traite\\s+(?:qu['’]en\\s+partie|partiellement)|aider(?:ait|a)?|aide\\s+(?:pas|à\\s+répondre)",
  ),
  target: w(
    "requêtes?|requetes?|(?:la\\s+)?question\\s+(?:de\\s+l['’]utilisateur|de\\s+l['’]internaute|posée|initiale|d['’]origine)|(?:de\\s+)?l['’](?:utilisateur|utilisatrice|internaute)|recherche\\s+de\\s+l['’]utilisateur|besoin\\s+d['’]information|internautes?|ce\\s+qui\\s+est\\s+demandé|ce\\s+que\\s+(?:demande|cherche|veut)\\s+(?:la\\s+requête|l['’]utilisateur|l['’]internaute)|la\\s+(?:première|seconde|deuxième|autre)(?:\\s+phrase)?|les\\s+deux\\s+(?:phrases|parlent|traitent|décrivent)|l['’]étiquette|la\\s+catégorie\\s+['\"«]",
  ),
  targetWeak: w("questions?|utilisateurs?|recherche|sujet|thème|catégorie"),
  label: w(
    "exemples?\\s+négatifs?|exemples?\\s+positifs?|négatifs?\\s+(?:difficiles?|durs?|forts?)|hard\\s+negatives?|distracteurs?|(?:score|note|niveau|degré)\\s+de\\s+pertinence\\s*[:：=]\\s*\\d|pertinence\\s*[:：=]\\s*\\d|(?:passage|document|texte)\\s+(?:positif|négatif)|un\\s+(?:\\S+\\s+)?négatif(?:\\s+\\S+)?(?=\\s*[.,;:!?)]|\\s*$)|contre-exemples?\\s+(?:difficiles?|pour\\s+la\\s+requête)",
  ),
  meta: raw(
    "^\\s*[(\\[*_]*\\s*(?:Note|Remarque|Explication|Justification|Commentaire|Pertinence|N\\.?\\s?B\\.?|Analyse|Précision|Observation|Raison|Pourquoi\\s+(?:négatif|positif|pertinent|non\\s+pertinent))\\s*[*_]*\\s*[:：—–-]",
    "iu",
  ),
  denial: raw(
    `${B}ne\\s+répond\\s+pas${E}|${B}n['’]y\\s+répond\\s+pas${E}|${B}(?:aucune|pas\\s+de)\\s+réponse${E}|${B}sans\\s+répondre${E}|${B}ne\\s+(?:traite|aborde)\\s+pas${E}|${B}sans\\s+(?:la|une)\\s+(?:\\S+\\s+)?réponse${E}`,
    "iu",
  ),
  intent: raw(
    `${B}(?:volontairement|délibérément|intentionnellement|exprès|à\\s+dessein|(?:a\\s+été|est|fut)\\s+(?:\\S+\\s+){0,2}(?:rédigée?|écrite?|générée?|conçue?|choisie?|créée?|construite?)\\s+(?:pour|comme|de\\s+façon|afin))${E}`,
    "iu",
  ),
  causal: w(
    "car|parce\\s+que|parce\\s+qu['’]|puisque|puisqu['’]|donc|ainsi|c['’]est\\s+pourquoi|d['’]où|étant\\s+donné|en\\s+effet|de\\s+ce\\s+fait|par\\s+conséquent",
  ),
  generic: raw(
    `^\\s*(?:(?:un|une|tout|chaque|les|des|plusieurs)\\s+(?:documents?|textes?|passages?|résultats?))${E}`,
    "iu",
  ),
};

const ES: Lexicon = {
  self: w(
    "(?:este|esta|estos|estas|el\\s+presente|la\\s+presente|dicho|dicha)\\s+(?:pasajes?|documentos?|textos?|artículos?|párrafos?|fragmentos?|extractos?|oración|oraciones|frases?|contenidos?|ejemplos?|reseñas?|respuestas?|apartados?|entradas?|comentarios?)|(?:el|la)\\s+(?:pasaje|documento|texto|fragmento)\\s+(?:anterior|de\\s+arriba|proporcionado|dado|presentado)",
  ),
  selfWeak: w("(?:el|la)\\s+(?:pasaje|documento|texto|artículo|párrafo|fragmento|contenido|oración|frase)"),
  pronoun: w("esto|ello|él|ella"),
  relevance: w(
    "relevantes?|irrelevantes?|pertinentes?|relevancia|pertinencia|no\\s+(?:tiene|guarda)\\s+(?:ninguna\\s+|mucha\\s+)?relación|sin\\s+relación|relacionad[oa]s?\\s+con|nada\\s+que\\s+ver|se\\s+ajusta|corresponde|fuera\\s+de\\s+(?:tema|lugar)|similar(?:es)?\\s+a|equivalente|se\\s+clasifica|clasificad[oa]|etiquetad[oa]|categorizad[oa]|encaja|palabras?\\s+clave|términos\\s+de\\s+búsqueda|parecer\\s+relacionad[oa]|parece\\s+(?:relacionad[oa]|relevante|pertinente)|(?:mejor|buen|mal)\\s+resultado|se\\s+queda\\s+cerca|el\\s+tema\\s+es\\s+parecido|trata\\s+el\\s+tema|a\\s+diferencia\\s+de\\s+lo\\s+que|coincide|información\\s+que\\s+(?:busca|necesita|pide|solicita)|información\\s+(?:buscada|solicitada)",
  ),
  bare: raw(
    `${B}(?:es|son|resulta|parece|sería|era)\\s+(?:(?:muy|altamente|bastante|directamente|poco|no|totalmente|especialmente|realmente|por\\s+tanto|así|entonces|completamente|sumamente)\\s+)*(?:relevantes?|irrelevantes?|pertinentes?)(?=\\s*[,.;:!?)]|\\s*$|\\s+(?:porque|ya|pues|dado|aunque|pero|puesto)${E})`,
    "iu",
  ),
  answer: w(
    "respond(?:e|en|er|ía|iendo|ido)|contest(?:a|an|ar|ando)|aborda(?:n|r)?|atiende|satisface|resuelv\\w*|resolver|da\\s+respuesta|respuesta\\s+(?:correcta|incorrecta|adecuada|concreta|exacta|precisa)|cubre|ayudar(?:ía|á)?|aborda\\s+en\\s+parte|trata\\s+(?:directamente|la\\s+pregunta|la\\s+consulta)",
  ),
  target: w(
    "consultas?|consulta\\s+de\\s+búsqueda|búsqueda\\s+del\\s+usuario|(?:la\\s+)?pregunta\\s+(?:del\\s+usuario|de\\s+la\\s+usuaria|planteada|original|formulada)|(?:del|al|el)\\s+usuari[oa]|lo\\s+que\\s+se\\s+pregunta|lo\\s+que\\s+(?:pide|pregunta|busca|quiere)\\s+(?:la\\s+consulta|el\\s+usuario)|necesidad\\s+de\\s+información|la\\s+(?:primera|segunda|otra)(?:\\s+(?:oración|frase))?|ambas\\s+(?:oraciones|frases)|ambas\\s+hablan|la\\s+etiqueta|la\\s+categoría\\s+['\"«]",
  ),
  targetWeak: w("preguntas?|usuari[oa]s?|búsqueda|tema|categoría"),
  label: w(
    "negativos?\\s+(?:difícil(?:es)?|dur[oa]s?|fuertes?)|ejemplos?\\s+negativos?|ejemplos?\\s+positivos?|hard\\s+negatives?|distractor(?:es)?|muestras?\\s+negativas?|muestras?\\s+positivas?|(?:puntuación|nivel|grado)\\s+de\\s+relevancia\\s*[:：=]\\s*\\d|relevancia\\s*[:：=]\\s*\\d|(?:pasaje|documento|texto)\\s+(?:positivo|negativo)|un\\s+(?:\\S+\\s+)?negativo(?:\\s+\\S+)?(?=\\s*[.,;:!?)]|\\s*$)|por\\s+qué\\s+es\\s+(?:negativo|positivo)",
  ),
  meta: raw(
    "^\\s*[(\\[*_]*\\s*(?:Nota|Observación|Explicación|Justificación|Comentario|Aclaración|Pertinencia|Relevancia|N\\.?\\s?B\\.?|Análisis|Razón|Motivo)\\s*[*_]*\\s*[:：—–-]",
    "iu",
  ),
  denial: raw(
    `${B}no\\s+(?:\\S+\\s+)?(?:responde|contesta|aborda|atiende|resuelve)${E}|${B}(?:ninguna|sin)\\s+respuesta${E}|${B}sin\\s+responder${E}|${B}sin\\s+(?:la|una)\\s+(?:\\S+\\s+)?respuesta${E}`,
    "iu",
  ),
  intent: raw(
    `${B}(?:a\\s+propósito|deliberadamente|intencionadamente|intencionalmente|adrede|(?:se\\s+)?(?:redactó|escribió|generó|diseñó|eligió|creó|construyó)\\s+(?:\\S+\\s+){0,2}(?:para|como|de\\s+modo)|(?:fue|ha\\s+sido|está)\\s+(?:redactad[oa]|escrit[oa]|generad[oa]|diseñad[oa]|elegid[oa]|cread[oa])\\s+(?:para|como))${E}`,
    "iu",
  ),
  causal: w(
    "porque|ya\\s+que|pues|puesto\\s+que|dado\\s+que|por\\s+lo\\s+tanto|por\\s+tanto|por\\s+eso|así\\s+que|de\\s+modo\\s+que|por\\s+ello|debido\\s+a|por\\s+consiguiente",
  ),
  generic: raw(
    `^\\s*(?:(?:un|una|todo|cada|los|las|varios|muchos)\\s+(?:documentos?|textos?|pasajes?|resultados?))${E}`,
    "iu",
  ),
};

/** Retrieval targets that are not ordinary words: "查询" alone is also the verb "to look up". */
const ZH_TARGET_STRONG =
  "(?:该|这个|此|本|原|用户|给定的?|所给的?)查询|查询(?:词|语句|内容|请求|意图|的问题|问题|的意图|的需求|的主题)|检索(?:词|请求|需求|问题|意图)|搜索(?:词|请求|需求|意图|查询)|用户(?:的)?(?:问题|提问|查询|需求|意图|搜索|疑问)|用户所问|搜索者|检索者|query";
const ZH_TARGET = `${ZH_TARGET_STRONG}|查询|(?:该|这个|此|原|上述|给定的?|所给的?|所提的?|提出的?|用户提出的?|题目中的?)问题`;
const ZH: Lexicon = {
  self: raw(
    "本文(?!化|件|字|作者)|本段|上面的(?:文字|内容|段落|文本|文章|材料)|该摘录|这段摘录|此摘录|本篇|该文(?![化件字])|此文(?![化件字])|这段(?:文字|文本|话|内容|材料|描述|段落|介绍|说明|文章|资料)|这篇(?:文章|文档|文本|材料|内容|短文|资料)?|该(?:文档|段落|段|文本|内容|篇|文章|材料|页面|回答|条目|片段|资料|段文字|篇文章)|此(?:段|文档|文本|篇|段落|片段|材料)|上述(?:文字|内容|段落|文档|文本|材料)|以上(?:内容|文字|段落|文本)|这句话|该句|此句|这个(?:文档|段落|例子|文本|片段|句子)|这则|该则|本文档|这一段",
    "u",
  ),
  pronoun: raw("它|其(?=[并未没不])|这(?=并|不|没|是一)", "u"),
  relevance: raw(
    "相关(?![的之]?[\\u4e00-\\u9fff])|相关性|无关|不相关|有关联|没有关联|关联性|切题|离题|跑题|关系不大|没有关系|毫无关系|无直接关系|不符|吻合|匹配|契合|意思相同|语义相近|归类为|分类为|标注为|标记为|属于.{0,6}类|关键词|关键字|偏离|偏题|文不对题|看似相关|最佳匹配|擦边|主题相关|话题相近|(?:想要|需要|要找|寻找|所需|想找)的信息",
    "u",
  ),
  answer: raw(
    "回答|解答|答复|回应|作答|答案|答到|解决了?(?:用户|该|这个)|(?:没有|未|并未)解决|正确答案|涉及提问|(?:没有|没)帮助|有帮助|(?:具体|明确|直接)答案",
    "u",
  ),
  target: raw(`${ZH_TARGET_STRONG}|第一句|另一句|两句话|两个句子|标签`, "u"),
  targetWeak: raw("问题|主题|话题|用户|提问|需求|查询", "u"),
  composite: raw(
    `(?:与|和|跟|同|对|对于|针对)[^，。；！？,.;!?]{0,10}?(?:${ZH_TARGET}|问题|提问|主题|第一句|第一个句子|另一句)[^，。；！？,.;!?]{0,8}?(?:相关|无关|有关|不相关|没有关系|毫无关系|关系不大|不符|吻合|匹配|契合|对应|一致|相似|相近|没有帮助|帮助不大|有帮助|不同|不一样)|(?:回答|解答|回应|答复|满足|契合|切合|符合|偏离|没有回答|并未回答|未能回答|无法回答)(?:了)?[^，。；！？,.;!?]{0,6}?(?:${ZH_TARGET})`,
    "u",
  ),
  label: raw(
    "困难负例|难负例|硬负例|负例|负样本|正例|正样本|困难样本|难样本|干扰项|干扰文档|负面样本|负向样本|难例|反面例子|正面例子|hard\\s*negative|相关(?:性|度)(?:评分|分数|得分|打分)?\\s*[:：=]\\s*\\d",
    "iu",
  ),
  meta: raw(
    "^\\s*[（(【\\[]?\\s*(?:注|注释|注意|说明|解释|备注|理由|原因|分析|评注|点评|附注|相关性(?:说明|分析)?|※)\\s*[:：】\\]]",
    "u",
  ),
  denial: raw(
    "缺少(?:具体)?答案|没有(?:给出)?(?:具体|明确)?答案|没有回答|并未回答|未能回答|无法回答|并没有回答|没有直接回答|未回答|没能回答|不能回答|答非所问|没有解答|并未解答",
    "u",
  ),
  intent: raw(
    "刻意|故意|特意|有意|专门(?:写|设计|编写|生成)|被(?:设计|编写|生成|构造|选作|写)|写得看似|生成的|是为了.{0,6}(?:而写|设计)",
    "u",
  ),
  causal: raw("因为|由于|因此|所以|故而|因而|从而|可见|之所以|是因为", "u"),
};

const JA_TARGET =
  "クエリ|検索(?:クエリ|語|意図|要求|キーワード)|ユーザー(?:の)?(?:質問|問い|意図|要求|検索|疑問)?|質問者|検索者|質問された内容|クエリが知りたい|(?:この|その|元の|上記の|与えられた|提示された)質問|問い合わせ";
const JA: Lexicon = {
  self: raw(
    "この(?:文書|文章|文|段落|パッセージ|ドキュメント|テキスト|記事|一節|節|資料|例|レビュー|回答|抜粋|内容|ページ|説明|箇所)|本(?:文書|文章|資料|パッセージ|記事)|上の(?:文章|文書|テキスト|段落|内容)|上記の?(?:文書|文章|文|内容|段落|テキスト|パッセージ)|当該(?:文書|文章|テキスト)|以上の(?:内容|文章)|本稿|本文",
    "u",
  ),
  pronoun: raw("これ|それ", "u"),
  relevance: raw(
    "関連(?:性)?|関係(?:が|は|も)?(?:ない|ありません|あります|ある|しない|しません|している|しています)|無関係|関わり|該当(?:しない|しません|する|します)|合致|一致(?:しない|しません|する|します|して)|適合|的外れ|マッチ|似て(?:いる|います)|類似|同じ意味|分類され|分類でき|ラベル付け|キーワード|話題を(?:ずら|そら)|話題から(?:外れ|それ)|脱線|最も合う|惜しい|テーマは合って|話題は近い|(?:求めている|探している|知りたい|必要としている)情報",
    "u",
  ),
  bare: raw(
    "関連性が(?:高い|低い|ある|ない|あり|なく)|関連して(?:いる|います|いない|いません)(?:ため|ので|。|、|$)",
    "u",
  ),
  answer: raw(
    "答え(?:て|る|た|ていない|ていません|ません|られ|ておら)|回答(?:して|する|した|になって|となって|していない|できて)|応え(?:て|る|ていない)|答えに|満たし|満たす|正解|解決して|カバーして|役に立|(?:具体的な|明確な|直接の)答え",
    "u",
  ),
  target: raw(`${JA_TARGET}|最初の文|もう一方の文|両方の文|ラベル`, "u"),
  targetWeak: raw("質問|問い|検索|ユーザー|トピック|テーマ", "u"),
  composite: raw(
    `(?:${JA_TARGET}|(?<!(?:つの|個の|多くの|よくある|様々な|いくつかの|次の))(?:質問|問い)|トピック|最初の文)(?:と|に|へ|とは|には|に対して|に対する|の内容に)(?:は|も)?[^。、！？]{0,8}?(?:関連|関係|無関係|答え|回答|応え|対応|合致|一致|適合|該当|マッチ|似て|異な|違)`,
    "u",
  ),
  label: raw(
    "ハードネガティブ|ハードネガ|ネガティブ(?:な)?(?:例|サンプル|事例|文書)|ポジティブ(?:な)?(?:例|サンプル|事例|文書)|負例|正例|難しい負例|否定例|不正解例|困難な負例|陰性例|妨害文書|関連(?:度|性)(?:スコア|評価)?\\s*[:：=]\\s*\\d",
    "u",
  ),
  meta: raw(
    "^\\s*[（(【\\[]?\\s*(?:注|注記|注意|備考|説明|解説|補足|理由|根拠|コメント|※)\\s*[:：】\\]]",
    "u",
  ),
  denial: raw(
    "答えが(?:ありません|ない|なく)|答えて(?:い|お)(?:ない|ません|らず)|答えていない|回答して(?:い|お)(?:ない|ません|らず)|答えられて(?:いない|いません)|答えにな(?:らない|っていない|っていません)|応えて(?:いない|いません)",
    "u",
  ),
  intent: raw(
    "意図的に|わざと|あえて|故意に|ように書かれ|として(?:生成|作成|選ばれ|用意)され|生成されました|作成されました",
    "u",
  ),
  causal: raw("ため|なぜなら|ので|から(?:です|だ)?|したがって|そのため|よって|ゆえに|ことから", "u"),
};

const KO_TARGET =
  "쿼리|질의(?:어)?|검색어|검색\\s?(?:의도|요청|쿼리)|사용자(?:의)?\\s?(?:질문|요청|의도|검색|물음|궁금증)|질문자|검색자|질문한\\s?내용|사용자가\\s?물은|쿼리가\\s?알고\\s?싶은|(?:이|해당|원래|주어진|위의?)\\s?질문";
const KO: Lexicon = {
  self: raw(
    "(?:이|본|위의?|해당|다음|아래의?|상기)\\s?(?:문서|글|문단|단락|텍스트|구절|문장|기사|예시|자료|본문|내용|리뷰|발췌문|지문|패시지|페이지|답변|대목)(?![가-힣]{2})",
    "u",
  ),
  pronoun: raw("이것|그것|이는", "u"),
  relevance: raw(
    "관련(?:이|성이|성은|성도|성)?\\s?(?:있|없|높|낮|되|된)|무관|상관(?:이|은)?\\s?없|관계(?:가|는)?\\s?(?:없|있)|부합|일치(?:하|하지)|해당(?:하지|되지)|동떨어|유사|비슷|같은\\s?의미|분류(?:됩|되|할)|범주에\\s?속|키워드|주제(?:를|에서)\\s?벗어|(?:찾는|원하는|필요한|궁금한)\\s?정보|가장\\s?잘\\s?맞는|아쉬운\\s?예|(?:것|내용)과\\s?달리|주제는\\s?(?:맞|비슷)|관련\\s?있어\\s?보",
    "u",
  ),
  bare: raw("(?<![과와]는?\\s?)관련(?:이|성이)\\s?(?:있|없|높|낮)(?:습니다|다|으며|지만|어|기)", "u"),
  answer: raw(
    "답(?:하|을\\s?하|변하|을\\s?주|이\\s?되|을\\s?제공|변을\\s?제공|하지)|대답(?:하|을)|응답(?:하|을)|해답|충족|정답|해결(?:하|해|되)|다루지\\s?않|도움이\\s?(?:되|안)|(?:구체적인|명확한|직접적인)\\s?답",
    "u",
  ),
  target: raw(`${KO_TARGET}|첫\\s?번째\\s?문장|다른\\s?문장|두\\s?문장|레이블|라벨`, "u"),
  targetWeak: raw("질문|검색|사용자|주제|물음", "u"),
  composite: raw(
    `(?:${KO_TARGET}|(?<!(?:가지|개의|많은|여러|자주\\s?묻는|[한는은던운른된인할을를])\\s?)(?:질문|물음)|주제|첫\\s?번째\\s?문장)(?:과|와|에|에는|에\\s?대한|에\\s?대해|에\\s?대해서는|과는|와는|의\\s?내용과)\\s?[^.。!?]{0,8}?(?:관련|무관|상관|관계|부합|일치|답|응답|대답|해당|맞지|비슷|유사|달리|다르)`,
    "u",
  ),
  label: raw(
    "어려운\\s?(?:부정|네거티브|오답)\\s?(?:예시|예제|샘플|사례|문서)|하드\\s?네거티브|(?:부정|네거티브|긍정|포지티브)\\s?(?:예시|예제|샘플|사례)|오답\\s?(?:예시|샘플)|정답\\s?(?:예시|샘플)|방해\\s?문서|관련(?:성|도)\\s?(?:점수|평가)?\\s*[:：=]\\s*\\d",
    "u",
  ),
  meta: raw(
    "^\\s*[(（【\\[]?\\s*(?:참고|주의|설명|해설|비고|이유|근거|메모|노트|코멘트|※)\\s*[:：】\\]]",
    "u",
  ),
  denial: raw(
    "(?:답|답변|대답|응답)(?:하지|을\\s?하지|을\\s?주지|이\\s?되지|을\\s?제공하지)\\s?(?:않|못)|답이\\s?없|답을\\s?찾을\\s?수\\s?없",
    "u",
  ),
  intent: raw(
    "일부러|의도적으로|고의로|도록\\s?(?:작성|만들어|구성|생성)|(?:으로|로)\\s?(?:생성|작성|선택)되었|생성되었",
    "u",
  ),
  causal: raw("때문|므로|(?:으)?니까|따라서|그러므로|그래서|이유는|기에|그렇기에", "u"),
};

const LEXICONS: Record<string, Lexicon> = { en: EN, de: DE, fr: FR, es: ES, zh: ZH, ja: JA, ko: KO };

/** "role": the label term used as the text's role ("serves as a hard negative", "負例として"). */
const ROLE_BEFORE: Record<string, string> = {
  en: `${B}(?:as|is|be|being|are|serves?\\s+as|counts?\\s+as|makes?\\s+it|making\\s+it|used\\s+as|included\\s+as|chosen\\s+as|treated\\s+as|considered)\\s+(?:(?:a|an|the|one|good|suitable|clear|typical|perfect|useful|valid|strong)\\s+){0,3}`,
  de: `${B}(?:als|ist|sind|dient\\s+als|damit)\\s+(?:(?:ein|eine|einen|gutes|gute|guter|geeignetes|klares|typisches)\\s+){0,3}`,
  fr: `${B}(?:comme|est|sont|constitue|sert\\s+de|s['’]agit\\s+d['’]|en\\s+fait)\\s*(?:(?:un|une|bon|bonne|excellent|excellente|d['’])\\s*){0,3}`,
  es: `${B}(?:como|es|son|constituye|sirve\\s+como|funciona\\s+como)\\s+(?:(?:un|una|buen|buena|claro|típico)\\s+){0,3}`,
  zh: "(?:作为|是|属于|算是|当作|用作|被用作|视为|可以作为|可作为)(?:一个|一条|一种|典型的|很好的|合适的)?",
};
const ROLE_AFTER: Record<string, string> = {
  ja: "(?:として|です|である|に当たり|に該当|とな)",
  ko: "\\s?(?:입니다|이다|이며|으로|로|에\\s?해당|가\\s?됩)",
};
for (const [lang, lex] of Object.entries(LEXICONS)) {
  const label = lex.label?.source;
  if (!label) continue;
  const before = ROLE_BEFORE[lang];
  const after = ROLE_AFTER[lang];
  if (before) lex.role = new RegExp(`${before}(?:${label})`, "iu");
  else if (after) lex.role = new RegExp(`(?:${label})${after}`, "iu");
}

/** Which lexicons to run on a text: by script, narrowed by the record's language for Latin script. */
/** Scripts lexiconsFor counts, by UTF-16 code unit: ASCII letters, Han, Kana, Hangul (0: other). */
const S_LATIN = 1;
const S_HAN = 2;
const S_KANA = 3;
const S_HANGUL = 4;
const SCRIPT_OF = new Uint8Array(65536);
for (let c = 0x41; c <= 0x5a; c++) SCRIPT_OF[c] = S_LATIN;
for (let c = 0x61; c <= 0x7a; c++) SCRIPT_OF[c] = S_LATIN;
SCRIPT_OF.fill(S_HAN, 0x4e00, 0xa000);
SCRIPT_OF.fill(S_KANA, 0x3040, 0x3100);
SCRIPT_OF.fill(S_HANGUL, 0xac00, 0xd7a4);
const scriptCounts = new Int32Array(5);

function lexiconsFor(text: string, language: string | undefined): string[] {
  const counts = scriptCounts;
  counts.fill(0);
  const n = Math.min(text.length, 4000);
  for (let i = 0; i < n; i++) counts[SCRIPT_OF[text.charCodeAt(i)] as number]! += 1;
  const latin = counts[S_LATIN] as number;
  const han = counts[S_HAN] as number;
  const kana = counts[S_KANA] as number;
  const hangul = counts[S_HANGUL] as number;
  const out: string[] = [];
  if (latin >= 8) {
    out.push("en");
    if (language === "de" || language === "fr" || language === "es") out.push(language);
    else if (language === undefined || !(language in LEXICONS)) out.push("de", "fr", "es");
  }
  if (kana > 0) out.push("ja");
  if (han > 0 && (kana === 0 || han > kana * 4 || language === "zh")) out.push("zh");
  if (han > 0 && kana === 0 && language === "ja") out.push("ja");
  if (hangul > 0) out.push("ko");
  return out;
}

interface Scored {
  start: number;
  end: number;
  score: number;
  groups: Group[];
}

/** A bracketed remark opening the sentence, with letters in it ("[1]" citations do not count). */
/** Whether a sentence mentions a label (case-insensitive; as a whole word in spaced scripts). */
function mentions(sentence: string, label: string): boolean {
  const i = sentence.toLowerCase().indexOf(label.toLowerCase());
  if (i < 0) return false;
  const before = sentence.charCodeAt(i - 1);
  const after = sentence.charCodeAt(i + label.length);
  const isWordChar = (c: number) =>
    !Number.isNaN(c) && /[\p{L}\p{N}]/u.test(String.fromCharCode(c)) && c < 0x3000;
  return !isWordChar(before) && !isWordChar(after);
}

const BRACKET_TAG = /^\s*[[【](?=[^\]】]*\p{L}[^\]】]*\p{L})[^\]】]{2,120}[\]】]/u;

function scoreSentence(
  sentence: string,
  lex: Lexicon,
  lang: string,
  labels: readonly string[] = [],
): { score: number; groups: Group[] } {
  const hit = new Set<Group>();
  // Gate groups first: without one of them the sentence cannot be flagged, stop there.
  for (const g of GATES) if (lex[g]?.test(sentence)) hit.add(g);
  if (hit.size === 0) return { score: 0, groups: [] };
  for (const g of OTHERS) if (lex[g]?.test(sentence)) hit.add(g);
  // Classification data: a sentence that classifies the text under the record's own label
  // ("…labeled as recommend because…", "…cancellationに分類されます") names its target.
  if (hit.has("relevance") && labels.some((l) => mentions(sentence, l))) hit.add("target");
  // A bracketed tag ("[Irrelevant to the query]", "【与查询无关】") is a remark, in any language.
  if (BRACKET_TAG.test(sentence)) hit.add("meta");
  // Redundant weaker forms of a group already present do not add up.
  if (hit.has("self")) hit.delete("selfWeak");
  if (hit.has("self") || hit.has("selfWeak")) hit.delete("pronoun");
  if (hit.has("target") || hit.has("composite")) hit.delete("targetWeak");
  const groups = [...hit];
  let score = 0;
  for (const g of groups) score += WEIGHTS[g];
  if (SUBJECT_LANGS.has(lang) && !groups.some((g) => ANCHORS.includes(g))) score *= ANCHOR_FACTOR;
  return { score, groups };
}

/**
 * Cheap first pass per lexicon: stems of which every match of a gate group (relevance, answer,
 * target, composite, label) contains at least one. Sentences without any are never scored (a
 * flag needs a gate group), so a passage is scanned with this short literal alternation (~150 M
 * chars/s; no `u` flag, which would slow case-insensitive matching; English, the bulk of most data
 * sets, only tries at word starts) instead of the full patterns. self-explanation.test.ts checks that the
 * stems cover every gate-group match in the evaluation cases and the real fixture files.
 */
const STEMS: Record<string, RegExp> = {
  en: /\b(?:irrelev|unrelat|off-topic|on-topic|semantic|the\s+same|in\s+meaning|relev|pertin|relat|topic|nothing\s+to\s+do|bearing|connect|linked|similar|equivalent|paraphras|same\s+meaning|label|classif|categor|the\s+class|match|align|on\s+point|keyword|key\s+term|near[-\s]miss|unlike\s+what|contrary\s+to\s+what|information|answer|address|respon|satisf|fulfil|resolv|speaks?\s+(?:directly\s+)?to|covers?\s+what|tackl|help|user|searcher|asker|quer|question|prompt|asked|search|intent|request|inquir|enquir|negative|positive|distract|gold\s+(?:passage|document)|ground[-\s]truth|(?:first|other|second|original|source|reference|anchor)\s+(?:sentence|one|text|statement)|both\s+(?:sentences|texts|statements))/gi,
  de: /(?:dem|den)\s+(?:ersten|anderen|zweiten)|beide|relevan|bezieh|bezug|hat\s+nichts|nichts\s+zu\s+tun|zu\s+tun|zusammenh|passt|passen|passend|entspr|themenfremd|vorbei|ähnl|gleichbedeut|eingestuft|klassifiz|zugeordn|kategor|trifft|zielf|schlüsselw|schlusselw|suchbegr|stichw|verwandt|daneben|thema|anders\s+als|treffer|information|beantw|antwort|geht|eingeh|behandel|adressier|erfüll|liefert|löst|deckt|klär|weiterh|hilft|anfrage|query|suchinten|suchabs|bedarf|nutzer|benutzer|frage|suchend|anwender|gefragt|(?:ersten|anderen|zweiten)\s+(?:satz|text)|beide\s+sätze|label|negativ|positiv|distrakt|hard/gi,
  fr: /la\s+(?:première|seconde|deuxième|autre)|les\s+deux|correspond|pertin|sujet|rapport|lien|à\s+voir|concern|lié|similaire|semblable|équivalent|classé|étiquet|catégor|relève|mots?[-\s]clés?|termes\s+de|proche|résultat|côté|thème|contrairement|information|répon|traite|abord|satisf|résout|apport|couvre|tranch|aid|requ|question|utilisat|internaut|recherch|besoin|demandé|(?:première|seconde|deuxième|autre)\s+phrase|deux\s+phrases|négatif|positif|hard|distract|contre-exemple/gi,
  es: /la\s+(?:primera|segunda|otra)|ambas|relevan|pertinen|relaci|nada\s+que\s+ver|ajusta|correspon|tema|similar|equivalent|clasific|etiquet|categor|encaja|palabras?\s+clave|términos\s+de|resultado|cerca|diferencia|coincid|información|respond|respuesta|contest|abord|atiend|satisf|resuelv|resolver|cubre|ayud|trata|consult|búsqueda|pregunt|usuari|necesidad|(?:primera|segunda|otra)\s+oración|ambas\s+oraciones|negativ|positiv|hard|distract|muestra/gi,
  zh: /相关|无关|关联|切题|离题|跑题|关系|不符|吻合|匹配|契合|相似|相近|意思|语义|归类|分类|标注|标记|属于|关键|偏离|偏题|文不对题|擦边|主题|话题|信息|回答|解答|答复|回应|作答|答案|答到|解决|涉及|帮助|查询|检索|搜索|用户|提问|询问|问询|问题|第一|另一句|两句|句子|标签|负例|负样本|正例|正样本|样本|难例|干扰|例子|hard|query|评分|分数|得分|打分|满足|切合|符合|对应|一致|不同|不一样/gi,
  ja: /関連|関係|無関係|関わり|該当|合致|一致|適合|的外れ|マッチ|似て|類似|同じ意味|分類|ラベル|キーワード|話題|脱線|合う|惜しい|テーマ|情報|答え|回答|応え|満た|正解|解決|カバー|役に立|クエリ|検索|ユーザー|質問|問い|最初の文|もう一方|両方の文|ネガティブ|ポジティブ|負例|正例|否定例|不正解|陰性|妨害|対応|異な|違/gi,
  ko: /관련|무관|상관|관계|부합|일치|해당|동떨어|유사|비슷|의미|분류|범주|키워드|주제|정보|맞는|아쉬운|달리|다르|답|대답|응답|충족|정답|해결|다루|도움|쿼리|질의|검색|사용자|질문|물은|알고|문장|레이블|라벨|부정|네거티브|긍정|포지티브|오답|방해|맞지/gi,
};

const NOTE: Partial<Record<Group, string>> = {
  label: "calls itself a training example",
  composite: "comments on its relevance to the query",
  target: "comments on the query",
  bare: "explains its own relevance",
  relevance: "explains its own relevance",
  answer: "says whether it answers the query",
};

function noteFor(groups: Group[]): string {
  for (const g of ["label", "composite", "target", "bare", "relevance", "answer"] as Group[]) {
    if (groups.includes(g)) return NOTE[g] as string;
  }
  return "explains its own relevance";
}

/** Longest sentence scored as a whole (UTF-16 units); longer ones are scored in a window. */
const MAX_SENTENCE = 240;

/** Score every sentence holding a trigger; returns the sentences that reach the threshold. */
export function explainingSentences(
  text: string,
  language: string | undefined,
  threshold: number,
  labels: readonly string[] = [],
): Scored[] {
  const langs = lexiconsFor(text, language);
  if (langs.length === 0) return [];
  const seen = new Map<number, Scored>();
  for (const lang of langs) {
    const stems = STEMS[lang] as RegExp;
    const lex = LEXICONS[lang] as Lexicon;
    stems.lastIndex = 0;
    let m: RegExpExecArray | null = stems.exec(text);
    while (m !== null) {
      const sent = sentenceAt(text, m.index, lang);
      if (!sent) break;
      stems.lastIndex = Math.max(stems.lastIndex, sent.end);
      let { start, end } = sent;
      let s = text.slice(start, end);
      // A bare marker ("Explanation:") on its own: read it with the sentence that follows.
      if (s.length <= 30 && /[:：]\s*$/.test(s)) {
        const next = sentenceAt(text, Math.min(text.length - 1, end + 1), lang);
        if (next && next.start >= end) {
          end = next.end;
          s = text.slice(start, end);
          stems.lastIndex = Math.max(stems.lastIndex, end);
        }
      }
      // The sentence may also be preceded by a marker line: include it for the meta group.
      const prev = start > 0 ? sentenceAt(text, Math.max(0, start - 2), lang) : undefined;
      let withMarker = s;
      if (prev && prev.end <= start && prev.text.length <= 30 && /[:：]$/.test(prev.text)) {
        withMarker = `${prev.text} ${s}`;
        start = prev.start;
      }
      // Very long "sentences" (unpunctuated web text): score only a window around the hit, so
      // that features scattered over a page do not add up.
      if (end - start > MAX_SENTENCE) {
        const from = Math.max(start, m.index - MAX_SENTENCE / 2);
        const to = Math.min(end, from + MAX_SENTENCE);
        start = from;
        end = to;
        withMarker = text.slice(from, to);
        stems.lastIndex = Math.max(m.index + m[0].length, to);
      }
      const { score, groups } = scoreSentence(withMarker, lex, lang, labels);
      const old = seen.get(start);
      if (!old || old.score < score) seen.set(start, { start, end, score, groups });
      m = stems.exec(text);
    }
  }
  return [...seen.values()].filter((s) => s.score >= threshold - 1e-9).sort((a, b) => a.start - b.start);
}

function scanField(field: FieldText, record: DetectRecord, o: SelfExplanationOptions): Flag | undefined {
  const labels = [record.label, record.misleadingLabel].filter(
    (l): l is string => !!l && l.trim().length >= 2,
  );
  // Bitext: the passages are in the target language.
  const language =
    field.target !== "query" && record.taskFamily === "bitext"
      ? (languageCode(record.params.target_language) ?? record.language)
      : record.language;
  const hits = explainingSentences(field.text, language, o.threshold, labels);
  if (hits.length === 0) return undefined;
  const top = hits.reduce((a, b) => (b.score > a.score ? b : a));
  const ev: Evidence[] = hits
    .slice()
    .sort((a, b) => b.score - a.score)
    .slice(0, o.maxEvidence)
    .sort((a, b) => a.start - b.start)
    .map((h) => evidence(field, h.start, h.end, noteFor(h.groups)));
  // 0.8 → 0.7, 1.3 and above → 1.
  const score = clamp01(0.7 + (top.score - o.threshold) * 0.6);
  return makeFlag("self_explanation", VERSION, field, score, ev);
}

const LONG_QUERY_FAMILIES = new Set(["long-short", "long-long", "classification"]);

export const selfExplanation: Detector<SelfExplanationOptions> = {
  defect: "self_explanation",
  version: VERSION,
  description:
    "A passage (or a long input text) that comments on its own relevance: explains why it answers or " +
    "does not answer the query, calls itself a hard negative, adds a 'Note:' about relevance.",
  optionsSchema: selfExplanationOptions,
  detect(record, _ctx, o) {
    const flags: Flag[] = [];
    for (const field of fieldsOf(record)) {
      if (
        field.target === "query" &&
        !(o.scanLongQueries && (LONG_QUERY_FAMILIES.has(record.taskFamily) || field.text.length > 300))
      )
        continue;
      const f = scanField(field, record, o);
      if (f) flags.push(f);
    }
    return flags;
  },
};

/** Internals for tests (stem coverage): the lexicons, the stems and the gate groups. */
export const selfExplanationInternals = { LEXICONS, STEMS, GATES } as const;

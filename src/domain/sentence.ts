/*
 * Values such as an organisation name ("Voorbeeld Hosting B.V."), a case title or a summary
 * often end in a full stop of their own. A text that puts its own full stop after them prints
 * "B.V.." on the security page, in feeds, CSAF documents, PDFs and mails. Every place that
 * ends a sentence with a value goes through `endSentence`; the Liquid notice templates get
 * the same rule in the engine (liquid-sentence-ends.ts).
 */

/** A full stop, exclamation mark, question mark or ellipsis character at the very end. */
const SENTENCE_END = /[.!?…]$/;

/** Whether `text` already ends a sentence ("B.V.", "Really?", "wait…"). */
export function endsSentence(text: string): boolean {
  return SENTENCE_END.test(text);
}

/** `text` followed by a full stop, unless it already ends a sentence: "B.V." stays "B.V.". */
export function endSentence(text: string): string {
  return SENTENCE_END.test(text) ? text : `${text}.`;
}

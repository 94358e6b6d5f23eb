import { newStemmer } from 'snowball-stemmers';
import { normalizeText } from '../text';

const stemmer = newStemmer('spanish');

/** Bumped whenever the features change: a model trained on other features must be retrained. */
export const FEATURES_VERSION = 1;

/** "holaaa" → "hola", "siii" → "si": chat stretches words; two letters stay ("llamar", "correo"). */
function squeeze(word: string): string {
  return word.replace(/(.)\1{2,}/g, '$1');
}

/** Stemmed words, stemmed word pairs and character 3- and 4-grams of the squeezed words. */
export function intentFeatures(text: string): string[] {
  const words = normalizeText(text).split(' ').filter(Boolean).map(squeeze);
  const stems = words.map((word) => (/^\d+$/.test(word) ? word : stemmer.stem(word)));
  const features = stems.map((stem) => `w:${stem}`);
  for (let i = 1; i < stems.length; i++) features.push(`b:${stems[i - 1]}_${stems[i]}`);
  for (const word of words) {
    const padded = ` ${word.replace(/(.)\1+/g, '$1')} `;
    for (const size of [3, 4]) for (let i = 0; i + size <= padded.length; i++) features.push(`c:${padded.slice(i, i + size)}`);
  }
  return features;
}

import { intentFeatures } from './intent-features';
import { deserializeModel, predictProbabilities, serializeModel, softmax, trainNaiveBayes } from './naive-bayes';
import { shippedIntentClassifier } from './intent-classifier';

const SAMPLES = [
  { label: 'tax', text: 'cuando vence el iva' },
  { label: 'tax', text: 'plazo del f29' },
  { label: 'greeting', text: 'hola buenas tardes' },
  { label: 'greeting', text: 'buenos dias' },
].map((sample) => ({ label: sample.label, features: intentFeatures(sample.text) }));

describe('trainNaiveBayes', () => {
  it('gives the most probability to the label whose words the message shares', () => {
    const model = trainNaiveBayes(SAMPLES);

    const probabilities = predictProbabilities(model, intentFeatures('hasta cuando vence el iva?'));

    expect(probabilities.tax).toBeGreaterThan(0.5);
    expect(probabilities.tax + probabilities.greeting).toBeCloseTo(1, 6);
  });

  it('round-trips through the committed serialised form', () => {
    const model = trainNaiveBayes(SAMPLES, { temperature: 3 });

    const restored = deserializeModel(serializeModel(model));

    expect(predictProbabilities(restored, intentFeatures('buenas'))).toEqual(predictProbabilities(model, intentFeatures('buenas')));
  });

  it('flattens the distribution when the temperature rises', () => {
    expect(Math.max(...softmax([0, -10], 10))).toBeLessThan(Math.max(...softmax([0, -10], 1)));
  });
});

describe('intentFeatures', () => {
  it('squeezes stretched letters and ignores accents so "holaaa" and "Holá" share the word feature', () => {
    const word = intentFeatures('hola').find((feature) => feature.startsWith('w:'));

    expect(intentFeatures('holaaa')).toContain(word);
    expect(intentFeatures('Holá')).toContain(word);
  });
});

describe('shippedIntentClassifier', () => {
  it('is unsure about off-topic messages and sure about a plain F29 question', () => {
    const classifier = shippedIntentClassifier();

    expect(classifier.classify('¿Me recomiendan un buen restaurante en Providencia?').intent).toBe('unrecognized');
    expect(classifier.classify('cuando vence el f29').confidence).toBeGreaterThan(0.9);
  });
});

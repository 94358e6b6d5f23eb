import { FEATURES_VERSION, intentFeatures } from './intent-features';
import intentModel from './intent-model.json';
import { deserializeModel, type NaiveBayesModel, predictProbabilities, type SerializedNaiveBayes } from './naive-bayes';

export interface IntentPrediction {
  /** The most probable intent; `unrecognized` means off-topic. */
  intent: string;
  confidence: number;
  probabilities: Record<string, number>;
}

export interface IntentClassifier {
  classify(text: string): IntentPrediction;
}

/** What `npm run agents:train` writes. */
export interface IntentModelFile {
  version: string;
  featuresVersion: number;
  trainedOn: { messages: number; sha256: string };
  model: SerializedNaiveBayes;
}

export class NaiveBayesIntentClassifier implements IntentClassifier {
  constructor(private readonly model: NaiveBayesModel) {}

  classify(text: string): IntentPrediction {
    const probabilities = predictProbabilities(this.model, intentFeatures(text));
    const [intent, confidence] = Object.entries(probabilities).sort((a, b) => b[1] - a[1])[0];
    return { intent, confidence, probabilities };
  }
}

let shipped: IntentClassifier | undefined;

/** The committed model, loaded on first use. */
export function shippedIntentClassifier(): IntentClassifier {
  if (!shipped) {
    const file: IntentModelFile = intentModel;
    if (file.featuresVersion !== FEATURES_VERSION) throw new Error(`intent-model.json was trained on features v${file.featuresVersion}, code has v${FEATURES_VERSION}: run npm run agents:train`);
    shipped = new NaiveBayesIntentClassifier(deserializeModel(file.model));
  }
  return shipped;
}

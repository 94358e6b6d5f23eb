import type { FlowDefinition, FlowRuntime } from '../flow-definition';
import { formatNumber } from '../slot-parsers';

export type InsuranceType = 'auto' | 'hogar' | 'vida';

export interface QuoteInput {
  insuranceType: InsuranceType;
  age: number;
  vehicleYear?: number;
  propertyValueUf?: number;
  coverageUf?: number;
}

export interface Quote {
  /** Monthly premium in UF, rounded to two decimals. */
  monthlyUf: number;
  description: string;
}

/** Pluggable pricing: a broker ships its own tariff; the default is illustrative only. */
export interface QuoteCalculator {
  calculate(input: QuoteInput, now: Date): Quote;
}

/**
 * Default tariff, monthly UF:
 * - auto:  1.2 × age factor × (1 + 0.02 × vehicle age in years, capped at 15)
 * - hogar: property value × 0.00035
 * - vida:  coverage × 0.0002 × (1 + 0.04 × years over 30)
 * Age factor: under 25 → 1.5; over 65 → 1.3; else 1.0.
 */
export class DefaultQuoteCalculator implements QuoteCalculator {
  calculate(input: QuoteInput, now: Date): Quote {
    const ageFactor = input.age < 25 ? 1.5 : input.age > 65 ? 1.3 : 1;
    if (input.insuranceType === 'auto') {
      const vehicleAge = Math.min(15, Math.max(0, now.getUTCFullYear() - (input.vehicleYear ?? now.getUTCFullYear())));
      return { monthlyUf: round2(1.2 * ageFactor * (1 + 0.02 * vehicleAge)), description: 'Seguro automotriz' };
    }
    if (input.insuranceType === 'hogar') return { monthlyUf: round2((input.propertyValueUf ?? 0) * 0.00035), description: 'Seguro de hogar' };
    const yearsOver30 = Math.max(0, input.age - 30);
    return { monthlyUf: round2((input.coverageUf ?? 0) * 0.0002 * (1 + 0.04 * yearsOver30)), description: 'Seguro de vida' };
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export const INSURANCE_QUOTE_CALCULATOR = 'insuranceQuote';

/** Wires a calculator into the flow runtime: the COTIZACION state reads `quote_uf` and `quote_description`. */
export function insuranceRuntime(calculator: QuoteCalculator = new DefaultQuoteCalculator()): FlowRuntime {
  return {
    calculators: {
      [INSURANCE_QUOTE_CALCULATOR]: (slots, now) => {
        const quote = calculator.calculate(
          {
            insuranceType: slots.insurance_type as InsuranceType,
            age: Number(slots.age),
            vehicleYear: slots.vehicle_year === undefined ? undefined : Number(slots.vehicle_year),
            propertyValueUf: slots.property_value_uf === undefined ? undefined : Number(slots.property_value_uf),
            coverageUf: slots.coverage_uf === undefined ? undefined : Number(slots.coverage_uf),
          },
          now,
        );
        return { quote_uf: formatNumber(quote.monthlyUf), quote_description: quote.description };
      },
    },
  };
}

export const INSURANCE_SALES_FLOW: FlowDefinition = {
  id: 'insurance-sales',
  name: 'Venta de seguros',
  initialState: 'INICIO',
  idleTimeoutMinutes: 60,
  // Combinations rather than "seguro" alone, which is also "sure" ("¿estás seguro?").
  triggers: {
    keywords: ['cotizar seguro', 'cotizar un seguro', 'quiero un seguro', 'seguro de auto', 'seguro automotriz', 'seguro de hogar', 'seguro de vida', 'necesito un seguro', 'informacion+seguros', 'info+seguros', 'sobre seguros', 'de seguros', 'cotiz*+seguro*', 'precio*+seguro*', 'me interesa un seguro', 'busco un seguro'],
  },
  exitKeywords: ['cancelar', 'salir'],
  states: {
    INICIO: {
      messages: [{ type: 'text', text: '¡Hola! Te ayudo a cotizar tu seguro en un par de minutos. Escribe "cancelar" cuando quieras salir.' }],
      transitions: [{ on: { always: true }, to: 'NEEDS_ANALYSIS' }],
    },
    NEEDS_ANALYSIS: {
      slots: [
        {
          name: 'insurance_type',
          prompt: '¿Qué seguro te interesa?',
          validation: { type: 'choice', options: [
            { id: 'auto', title: 'Auto', synonyms: ['automotriz', 'vehiculo', 'carro', 'coche'] },
            { id: 'hogar', title: 'Hogar', synonyms: ['casa', 'departamento', 'depto'] },
            { id: 'vida', title: 'Vida' },
          ] },
          errorMessage: 'Por favor elige una de las opciones: Auto, Hogar o Vida.',
        },
        { name: 'age', prompt: '¿Cuántos años tienes?', validation: { type: 'number', min: 18, max: 99, integer: true }, errorMessage: 'La edad debe ser un número entre 18 y 99.' },
        {
          name: 'vehicle_year',
          prompt: '¿De qué año es el vehículo?',
          validation: { type: 'number', min: 1980, max: 2100, integer: true },
          errorMessage: 'Indica el año del vehículo con cuatro dígitos, por ejemplo 2019.',
          when: { slot: 'insurance_type', in: ['auto'] },
        },
        {
          name: 'property_value_uf',
          prompt: '¿Cuál es el valor aproximado de la propiedad en UF?',
          validation: { type: 'number', min: 300, max: 100000 },
          errorMessage: 'Indica el valor en UF, entre 300 y 100.000.',
          when: { slot: 'insurance_type', in: ['hogar'] },
        },
        {
          name: 'coverage_uf',
          prompt: '¿Qué monto de cobertura buscas, en UF?',
          validation: { type: 'number', min: 100, max: 20000 },
          errorMessage: 'Indica la cobertura en UF, entre 100 y 20.000.',
          when: { slot: 'insurance_type', in: ['vida'] },
        },
      ],
      transitions: [{ on: { slotsComplete: true }, to: 'COTIZACION' }],
    },
    COTIZACION: {
      compute: INSURANCE_QUOTE_CALCULATOR,
      messages: [{ type: 'text', text: '{{quote_description}}: tu prima estimada es de {{quote_uf}} UF mensuales (referencial, sujeta a evaluación).' }],
      transitions: [{ on: { always: true }, to: 'PRESENTACION_PROPUESTA' }],
    },
    PRESENTACION_PROPUESTA: {
      messages: [{ type: 'buttons', text: '¿Quieres avanzar con esta propuesta?', buttons: [{ id: 'accept', title: 'Aceptar' }, { id: 'decline', title: 'No, gracias' }] }],
      unmatchedMessage: 'Por favor responde con uno de los botones.',
      transitions: [
        { on: { replyId: 'accept' }, to: 'FINALIZADO' },
        { on: { replyId: 'decline' }, to: 'RECHAZADO' },
        { on: { keyword: 'no' }, to: 'RECHAZADO' },
        { on: { keyword: 'acepto' }, to: 'FINALIZADO' },
        { on: { keyword: 'si' }, to: 'FINALIZADO' },
      ],
    },
    FINALIZADO: {
      terminal: true,
      addLabels: ['seguro_aceptado'],
      handoff: true,
      messages: [{ type: 'text', text: '¡Excelente! Un ejecutivo te contactará para completar la contratación de tu seguro.' }],
    },
    RECHAZADO: {
      terminal: true,
      addLabels: ['seguro_rechazado'],
      messages: [{ type: 'text', text: 'Entendido, gracias por cotizar con nosotros. Si cambias de opinión, escríbenos.' }],
    },
  },
};

import type { AgentConfig, AgentConfigInput, KeywordSet, LocalizedText } from './agent.types';
import { DEFAULT_KNOWLEDGE } from './default-knowledge';

export const AgentName = {
  Greeting: 'greeting',
  BusinessHours: 'business_hours',
  Support: 'support',
  Sales: 'sales',
  HumanHandoff: 'human_handoff',
  KeywordRules: 'keyword_rules',
  TaxReminders: 'tax_reminders',
  Dte: 'dte',
  Honorarios: 'honorarios',
  Sii: 'sii',
  Invoices: 'invoices',
  Flow: 'flow',
  Llm: 'llm',
  Unrecognized: 'unrecognized',
  Fallback: 'fallback',
} as const;

const DEFAULT_KEYWORDS: Record<string, KeywordSet> = {
  greeting: {
    strong: ['hola', 'holi', 'ola', 'buenas', 'buen dia', 'buenos dias', 'buenas tardes', 'buenas noches', 'saludos', 'que tal', 'alo', 'hello', 'hi', 'hey', 'good morning', 'good afternoon', 'gracias', 'muchas gracias', 'thanks', 'thank you', 'chao', 'adios', 'hasta luego'],
    weak: [],
  },
  business_hours: {
    strong: ['horario*', 'a que hora', 'hasta que hora', 'estan abiertos', 'esta abierto', 'atienden hoy', 'atienden los', 'atienden el', 'atienden en', 'abren*', 'cierran*', 'horas de atencion', 'hora de atencion', 'opening hours', 'business hours', 'what time', 'are you open', 'open on', 'open today', 'your hours'],
    weak: ['hora', 'trabajan', 'abierto*', 'atienden', 'atencion', 'sabado*', 'domingo*', 'feriado*', 'festivo', 'hoy', 'manana', 'oficina'],
  },
  support: {
    strong: ['reclamo*', 'queja*', 'no funciona', 'no me funciona', 'no funcionan', 'problema*', 'falla*', 'error*', 'pesimo', 'pesima', 'mal servicio', 'molest*', 'cobraron de mas', 'cobro indebido', 'me cobraron', 'no me responden', 'nadie me responde', 'nadie responde', 'no me han respondido', 'no contestan', 'reclamar+servicio', 'not working', 'complaint', 'broken', 'doesnt work', 'does not work', 'an issue', 'issue with', 'se cae', 'se cayo', 'nadie me ha respondido', 'no me han contestado', 'terrible', 'enojad*', 'indignad*', 'decepcionad*', 'sigo esperando', 'mala atencion', 'se equivocaron', 'equivocacion', 'multa*'],
    weak: ['no puedo', 'issue', 'urgente', 'todavia', 'aun no', 'otra vez', 'devolucion', 'reembolso', 'help', 'problem', 'nunca', 'mal', 'no llega', 'no me llega', 'no ha llegado', 'no llego', 'cancelar', 'me duplicaron', 'duplicad*', 'caido', 'caida', 'lento'],
  },
  sales: {
    strong: ['precio*', 'cuanto cuesta*', 'cuanto cobran', 'cuanto me cobran', 'cuanto sale', 'cuanto vale', 'cuanto seria', 'cobrarian', 'cobraria', 'cotizar', 'cotizame', 'cotiza', 'cotizacion', 'cotisacion', 'plan', 'planes', 'tarifa*', 'valores', 'mensualidad', 'contratar*', 'contratarlos', 'presupuesto', 'descuento*', 'promocion*', 'price*', 'pricing', 'how much', 'quote', 'plans', 'cost', 'costo*', 'arancel*', 'cobran', 'planes+contabilidad', 'servicio* de contabilidad', 'llevar la contabilidad', 'llevar mi contabilidad', 'llevarme la contabilidad', 'nuevo cliente', 'ser cliente', 'hacerme cliente', 'interesado en sus servicios', 'interesada en sus servicios', 'sus servicios'],
    weak: ['cuanto', 'valor', 'pagar', 'servicio*', 'contabilidad', 'contador', 'mensual', 'empresa', 'pyme', 'emprendimiento', 'inicio de actividades', 'iniciar actividades', 'interesad*', 'cuesta'],
  },
  /** Asking what one of our services costs is a sales lead whatever the service (e.g. "cuánto cobran por el F29"). */
  sales_price: {
    strong: ['precio*', 'cuanto cuesta*', 'cuanto cobran', 'cuanto me cobran', 'cuanto sale', 'cuanto vale', 'cuanto seria', 'cobrarian', 'cobraria', 'cotizar', 'cotizame', 'cotiza', 'cotizacion', 'cotisacion', 'tarifa*', 'arancel*', 'price*', 'quote'],
    weak: [],
  },
  human_handoff: {
    strong: ['hablar con una persona', 'hablar con alguien', 'hablar con un humano', 'hablar con humano', 'persona real', 'ser humano', 'ejecutiv*', 'humano', 'agente', 'asesor', 'asesora', 'asesores', 'operador*', 'operadora', 'que me llamen', 'llamenme', 'me pueden llamar', 'me puede llamar', 'hablar con mi contador', 'hablar con mi contadora', 'hablar con el contador', 'atender una persona', 'me atienda una persona', 'me atienda alguien', 'talk to a person', 'speak to a person', 'speak to someone', 'talk to someone', 'real person', 'human', 'representative', 'agent', 'no quiero hablar con un bot', 'no quiero un bot', 'eres un bot', 'es un bot', 'robot', 'hablar con', 'comunicarme con'],
    weak: ['persona', 'llamar', 'llamada', 'telefono', 'contactar*', 'bot'],
  },
  tax_reminders: {
    strong: ['f29', 'formulario 29', 'iva', 'declaracion mensual', 'f3323', 'formulario 3323', 'propyme', 'pro pyme', 'f22', 'operacion renta', 'declaracion de renta', 'declaracion anual', 'renta', 'ppm', 'fecha limite', 'cuando vence', 'vencimiento*', 'hasta cuando', 'impuesto* mensual*', 'declarar+impuesto*', 'pagar+impuesto*', 'declaracion jurada', 'declaraciones juradas', 'pago de impuestos', 'impuestos'],
    weak: ['declar*', 'impuesto*', 'plazo*', 'vence', 'mes', 'mensual', 'anual', 'pagar', 'fecha', 'dia 12', 'dia 20', 'atrasad*', 'sin movimiento'],
  },
  dte: {
    strong: ['dte', 'documento* tributario*', 'factura electronica', 'facturas electronicas', 'boleta electronica', 'boletas electronicas', 'nota de credito', 'notas de credito', 'nota credito', 'nota de debito', 'guia de despacho', 'guias de despacho', 'emit*+factur*', 'hacer+factura', 'anular+factur*', 'corrig*+factur*', 'corrijo+factur*', 'equivoq*+factur*', 'factur* de export*', 'electronic invoice*', 'issue+invoice*', 'facturacion electronica', 'folio*', 'emit*+boleta*', 'facturador', 'factura exenta', 'boleta de venta', 'boletas de venta', 'factura+mal', 'refacturar'],
    weak: ['factur*', 'boleta*', 'emitir', 'emito', 'anular', 'xml', 'timbre', 'electronica*', 'sistema de facturacion'],
  },
  honorarios: {
    strong: ['honorario*', 'boleta de honorarios', 'boletas de honorarios', 'bhe', 'retencion*', 'boleta de terceros', 'boleta de prestacion', 'boletas de prestacion', 'retienen', 'retener', 'independiente*'],
    weak: ['porcentaje', 'prestacion de servicios', 'freelance', '145', 'boleta*', 'tasa'],
  },
  sii: {
    strong: ['clave tributaria', 'clave del sii', 'clave sii', 'clave unica', 'certificado digital', 'firma electronica', 'servicio de impuestos internos', 'entrar al sii', 'ingresar al sii', 'acceso al sii', 'conect*+sii', 'integr*+sii', 'vincul*+sii', 'sincroniz*+sii', 'portal del sii', 'pagina del sii', 'sii', 'contrasena', 'tax password', 'digital certificate'],
    weak: ['clave', 'certificado*', 'firma', 'ingresar', 'entrar', 'acceso', 'bloquead*', 'olvide', 'recuperar', 'portal', 'cuenta'],
  },
  invoices: {
    strong: ['enviar+factur*', 'envio+factur*', 'envie+factur*', 'mand*+factur*', 'adjunt*+factur*', 'subir+factur*', 'carg*+factur*', 'proces*+factur*', 'send*+invoice*', 'recibieron+factur*', 'llegaron+factur*', 'factur* de compra', 'factura* del mes', 'registro de compras', 'rcv', 'factur* de proveedor*', 'factura de mi proveedor', 'respaldo*', 'boletas de gastos', 'gastos del mes', 'rendicion'],
    weak: ['factur*', 'invoice*', 'compras', 'gastos', 'recibieron', 'mande', 'envie', 'adjunt*', 'pdf', 'proveedor*', 'mes', 'reclamar', 'aceptar', 'rechazar'],
  },
};

const DEFAULT_TEXTS: Record<string, LocalizedText> = {
  'greeting.reply': {
    es: '¡Hola{{name}}! 👋 Te saluda {{org}}. ¿En qué te podemos ayudar? Puedes consultarnos por el F29, facturación electrónica, boletas de honorarios, el SII o nuestros planes.',
    en: 'Hi{{name}}! 👋 This is {{org}}. How can we help? You can ask about VAT returns (F29), e-invoicing, fee receipts, the SII or our plans.',
  },
  'greeting.thanks': { es: '¡A ti! Si necesitas algo más, escríbenos cuando quieras. 😊', en: 'You are welcome! Write to us any time. 😊' },
  'hours.info': { es: 'Nuestro horario de atención es {{schedule}}.{{status}}', en: 'Our business hours are {{schedule}}.{{status}}' },
  'hours.openNow': { es: ' Ahora estamos atendiendo.', en: ' We are open now.' },
  'hours.closedNow': { es: ' Ahora estamos fuera de horario; te responderemos {{nextOpen}}.', en: ' We are closed now; we will reply {{nextOpen}}.' },
  'hours.outOfHours': {
    es: '¡Gracias por escribirnos! Estamos fuera de horario (atendemos {{schedule}}). Te responderemos {{nextOpen}}.',
    en: 'Thanks for your message! We are closed right now (our hours: {{schedule}}). We will reply {{nextOpen}}.',
  },
  'hours.noSchedule': { es: 'Atendemos en horario hábil. Déjanos tu consulta y te responderemos a la brevedad.', en: 'We work business hours. Leave your question and we will reply soon.' },
  'hours.nextOpenUnknown': { es: 'apenas retomemos la atención', en: 'as soon as we are back' },
  'support.reply': {
    es: 'Lamentamos el inconveniente{{name}}. 🙏 Cuéntanos con detalle qué ocurrió (y si puedes, una captura o el número de documento). Un ejecutivo revisará tu caso a la brevedad.',
    en: 'Sorry about the trouble{{name}}. 🙏 Please tell us what happened (a screenshot or document number helps). Someone from our team will review it shortly.',
  },
  'sales.reply': {
    es: 'Tenemos planes de contabilidad mensual para pymes y emprendedores, desde declaraciones de IVA (F29) hasta remuneraciones y renta anual. ¿Te preparamos una cotización o prefieres hablar con un ejecutivo?',
    en: 'We offer monthly accounting plans for SMEs and entrepreneurs, from VAT returns (F29) to payroll and annual income tax. Shall we prepare a quote, or would you rather talk to an account manager?',
  },
  'sales.buttonQuote': { es: 'Cotizar', en: 'Get a quote' },
  'sales.buttonPerson': { es: 'Hablar con ejecutivo', en: 'Talk to a person' },
  'handoff.reply': {
    es: 'Claro{{name}}, te comunico con una persona de nuestro equipo. Te responderá en este mismo chat lo antes posible.',
    en: 'Sure{{name}}, I am passing you to a person on our team. They will reply in this chat as soon as possible.',
  },
  'handoff.unsure': {
    es: 'Parece que no estoy entendiendo bien tu consulta. Te comunico con una persona de nuestro equipo para ayudarte mejor.',
    en: 'It looks like I am not understanding your question. I am passing you to a person on our team.',
  },
  'unrecognized.reply': {
    es: 'Disculpa, no entendí bien tu mensaje. ¿Podrías escribirlo de otra forma? También puedes elegir un tema del menú.',
    en: 'Sorry, I did not quite understand. Could you rephrase it? You can also pick a topic from the menu.',
  },
  'unrecognized.menuButton': { es: 'Ver menú', en: 'See menu' },
  'fallback.reply': {
    es: 'Recibimos tu mensaje. Una persona de nuestro equipo lo revisará y te responderá pronto.',
    en: 'We received your message. Someone from our team will review it and reply soon.',
  },
  'knowledge.footer': { es: '', en: '' },
};

const DEFAULT_RULES: AgentConfig['rules'] = [
  { match: 'exact', pattern: 'hola', reply: '¡Hola! 👋 Soy el asistente virtual. Escribe *info* para ver nuestros servicios o cuéntanos tu consulta.' },
  { match: 'exact', pattern: 'ayuda', reply: 'Te ayudamos con: 1) F29 y declaraciones, 2) facturación electrónica (DTE), 3) boletas de honorarios, 4) clave y certificado SII, 5) planes y precios. Escribe tu consulta o "ejecutivo" para hablar con una persona.' },
  { match: 'exact', pattern: 'info', reply: 'Somos un estudio contable para pymes: contabilidad mensual, IVA (F29), renta, remuneraciones y facturación electrónica. Pregúntanos por nuestros planes.' },
  { match: 'exact', pattern: 'contacto', reply: 'Puedes escribirnos por aquí en horario hábil o pedir hablar con un ejecutivo escribiendo "ejecutivo".' },
];

export const DEFAULT_AGENT_CONFIG: AgentConfig = {
  organizationName: 'nuestro equipo',
  threshold: 0.5,
  handoffAfterUnsure: 2,
  agents: {},
  businessHours: {
    weekly: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '17:00']] },
    holidays: [],
  },
  texts: DEFAULT_TEXTS,
  keywords: DEFAULT_KEYWORDS,
  rules: DEFAULT_RULES,
  knowledge: DEFAULT_KNOWLEDGE,
  llm: { enabled: false, instructions: '', model: 'gpt-4o-mini', maxTokens: 300, temperature: 0.2, timeoutMs: 4000, historyLimit: 8 },
  interestAnalysis: { enabled: false },
};

/** Overlays an organisation's stored config on the defaults (lists replace, maps merge per key). */
export function resolveAgentConfig(input: AgentConfigInput = {}): AgentConfig {
  const base = DEFAULT_AGENT_CONFIG;
  const texts: Record<string, LocalizedText> = { ...base.texts };
  for (const [key, text] of Object.entries(input.texts ?? {})) texts[key] = { ...(texts[key] ?? { es: '', en: '' }), ...text };
  const keywords: Record<string, KeywordSet> = { ...base.keywords };
  for (const [key, set] of Object.entries(input.keywords ?? {})) keywords[key] = { strong: set.strong ?? keywords[key]?.strong ?? [], weak: set.weak ?? keywords[key]?.weak ?? [] };
  return {
    ...base,
    ...input,
    agents: { ...base.agents, ...input.agents },
    texts,
    keywords,
    llm: { ...base.llm, ...input.llm },
    interestAnalysis: { ...base.interestAnalysis, ...input.interestAnalysis },
  };
}

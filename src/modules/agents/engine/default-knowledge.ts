import type { KnowledgeEntry } from './agent.types';

/**
 * Chilean SME tax-accounting pack. Deliberately cautious: rules and dates change,
 * so every answer points the customer to their accountant or the SII to confirm.
 */
export const DEFAULT_KNOWLEDGE: KnowledgeEntry[] = [
  {
    id: 'tax-f29',
    topic: 'tax_reminders',
    keywords: ['f29', 'formulario 29', 'iva', 'declaracion mensual', 'ppm', 'vence', 'vencimiento', 'plazo', 'fecha', 'cuando'],
    answer:
      'El F29 es la declaración mensual de IVA y otros impuestos (como PPM y retenciones). En general vence el día 12 del mes siguiente si se declara en papel, y hasta el día 20 si se declara y paga por internet (facturadores electrónicos). Si la fecha cae en fin de semana o feriado puede correrse; confírmalo con tu contador o en sii.cl.',
    answerEn:
      'The F29 is the monthly VAT return (it also covers PPM and withholdings). It is generally due on the 12th of the following month on paper, or up to the 20th when filed and paid online by electronic invoicers. Weekends and holidays can shift the date; please confirm with your accountant or at sii.cl.',
  },
  {
    id: 'tax-f3323',
    topic: 'tax_reminders',
    keywords: ['f3323', 'formulario 3323', '3323', 'propyme', 'pro pyme', 'regimen', 'declaracion jurada', 'anual'],
    answer:
      'El F3323 es la declaración jurada anual asociada al régimen ProPyme (14 D). Se presenta una vez al año junto al proceso de renta; el plazo exacto lo fija el SII cada año. Te recomendamos confirmarlo con tu contador para no quedar fuera de plazo.',
    answerEn:
      'The F3323 is the annual sworn statement for the ProPyme regime (14 D). It is filed once a year around the income tax season; the SII sets the exact deadline each year, so please confirm it with your accountant.',
  },
  {
    id: 'tax-renta',
    topic: 'tax_reminders',
    keywords: ['renta', 'operacion renta', 'f22', 'abril', 'devolucion'],
    answer:
      'La declaración anual de renta (F22) se presenta normalmente en abril. Si quieres que la preparemos nosotros, envíanos tus antecedentes con anticipación; tu contador te confirmará plazos y documentos.',
    answerEn: 'The annual income tax return (F22) is usually filed in April. Send us your documents early if you want us to prepare it; your accountant will confirm dates and paperwork.',
  },
  {
    id: 'dte-general',
    topic: 'dte',
    keywords: ['dte', 'documento tributario', 'documentos tributarios', 'que es', 'guia de despacho', 'emitir', 'facturacion'],
    answer:
      'Los DTE (documentos tributarios electrónicos) incluyen facturas, boletas, notas de crédito y débito y guías de despacho. Se emiten desde el sistema gratuito del SII o desde un software de facturación autorizado. Podemos ayudarte a configurarlo; un ejecutivo revisará tu caso.',
    answerEn:
      'DTEs (electronic tax documents) include invoices, receipts, credit and debit notes and dispatch guides. They are issued through the SII free system or an authorised invoicing software. We can help you set it up.',
  },
  {
    id: 'dte-nota-credito',
    topic: 'dte',
    keywords: ['nota de credito', 'nota credito', 'anular', 'anulacion', 'nota de debito', 'corregir'],
    answer:
      'Una factura electrónica ya emitida no se borra: se anula o corrige emitiendo una nota de crédito (o de débito) que la referencia. Indícanos el folio y el motivo y te guiamos; confirma el tratamiento con tu contador.',
    answerEn: 'An issued electronic invoice cannot be deleted: it is cancelled or corrected with a credit (or debit) note referencing it. Send us the folio number and the reason and we will guide you.',
  },
  {
    id: 'dte-boleta',
    topic: 'dte',
    keywords: ['boleta electronica', 'boletas', 'boleta', 'venta', 'consumidor'],
    answer:
      'La boleta electrónica es obligatoria para ventas a consumidor final y se emite desde el SII o tu sistema de ventas. Si necesitas ayuda para habilitarla, un ejecutivo te puede orientar.',
    answerEn: 'The electronic receipt (boleta) is mandatory for sales to final consumers. If you need help enabling it, one of our team can guide you.',
  },
  {
    id: 'honorarios-retencion',
    topic: 'honorarios',
    keywords: ['retencion', 'porcentaje', '145', 'tasa', 'cuanto retienen', 'cuanto me retienen'],
    answer:
      'La retención de las boletas de honorarios sube gradualmente según el calendario legal; para 2025 es de 14,5% y seguirá aumentando en los próximos años. Como la tasa cambia cada año, confirma la vigente con tu contador antes de emitir.',
    answerEn:
      'The withholding on fee receipts (boletas de honorarios) rises gradually under the legal schedule; for 2025 it is 14.5% and it keeps increasing in later years. Please confirm the current rate with your accountant.',
  },
  {
    id: 'honorarios-emitir',
    topic: 'honorarios',
    keywords: ['emitir', 'hacer', 'boleta de honorarios', 'bhe', 'terceros', 'anular'],
    answer:
      'Las boletas de honorarios electrónicas se emiten en sii.cl con tu clave tributaria (Servicios online › Boletas de honorarios electrónicas). Si tienes dudas sobre la retención o quién la paga, tu contador puede revisarlo contigo.',
    answerEn: 'Electronic fee receipts are issued at sii.cl with your tax password (Online services › Electronic fee receipts). Your accountant can review withholding questions with you.',
  },
  {
    id: 'sii-clave',
    topic: 'sii',
    keywords: ['clave tributaria', 'clave', 'contrasena', 'recuperar', 'bloqueada', 'olvide', 'clave unica'],
    answer:
      'Para operar con el SII usamos tu clave tributaria o tu Clave Única. Si la olvidaste puedes recuperarla en sii.cl. Nunca compartas tu clave por este chat: un ejecutivo te indicará la forma segura de autorizarnos.',
    answerEn: 'We work with the SII using your tax password or ClaveÚnica. You can recover it at sii.cl. Never share your password in this chat: our team will explain the secure way to authorise us.',
  },
  {
    id: 'sii-certificado',
    topic: 'sii',
    keywords: ['certificado digital', 'certificado', 'firma electronica', 'firma', 'token', 'vencido'],
    answer:
      'El certificado digital (firma electrónica) se compra a un proveedor acreditado y se usa para firmar DTE y algunos trámites en el SII. Si venció o necesitas instalarlo, te ayudamos a configurarlo.',
    answerEn: 'The digital certificate (electronic signature) is bought from an accredited provider and is used to sign DTEs and some SII procedures. We can help you install or renew it.',
  },
  {
    id: 'sii-integracion',
    topic: 'sii',
    keywords: ['integracion', 'conectar', 'vincular', 'sincronizar', 'autorizar', 'acceso', 'portal', 'mipyme'],
    answer:
      'Podemos conectarnos con el SII para descargar tus compras, ventas y DTE. Para eso necesitamos tu autorización; un ejecutivo te guiará paso a paso sin que compartas tu clave por este medio.',
    answerEn: 'We can connect to the SII to download your purchases, sales and DTEs. We need your authorisation first; our team will guide you without you sharing your password here.',
  },
  {
    id: 'invoices-envio',
    topic: 'invoices',
    keywords: ['enviar', 'mandar', 'adjunto', 'subir', 'recibieron', 'pdf', 'foto', 'gastos', 'respaldo'],
    answer:
      'Puedes enviarnos tus facturas y respaldos por este mismo chat (PDF o foto legible) o al correo de tu ejecutivo. Las procesamos y registramos durante el mes; te avisaremos si falta alguna.',
    answerEn: 'You can send us your invoices and receipts in this chat (PDF or clear photo) or to your account manager by email. We process them during the month and will tell you if anything is missing.',
  },
  {
    id: 'invoices-registro',
    topic: 'invoices',
    keywords: ['registro de compras', 'rcv', 'compras', 'proveedor', 'reclamar', 'aceptar', 'rechazar', 'cuadrar'],
    answer:
      'Las facturas de compra llegan al Registro de Compras y Ventas (RCV) del SII. Revisamos que cuadren con tus respaldos; si una factura no corresponde se puede reclamar dentro de 8 días desde su recepción. Tu ejecutivo te confirmará cada caso.',
    answerEn: 'Purchase invoices appear in the SII Purchase and Sales Register (RCV). We reconcile them with your receipts; an invoice that does not apply can be disputed within 8 days of receipt.',
  },
];

import type { TenantRecord } from '../../../src/tenants/types.ts';

/** Response shapes from docs/api-contract.md, as the web app reads them. */

export type DocumentStatus = 'processing' | 'ready' | 'failed';

export interface DocumentRecord {
  id: string;
  name: string;
  format: string;
  content_type: string;
  size: number;
  status: DocumentStatus;
  error: { code: string; message: string } | null;
  uploaded_at: string;
  processed_at: string | null;
  pages: number | null;
  sheets: string[] | null;
  /** e.g. a scanned PDF: ready, but no text was found. */
  warning?: string | null;
  metrics: string[];
  passages: number;
}

export interface TextBlock {
  text: string;
  locator: string;
  heading?: string;
}

export type CellValue = number | string | null;

export interface PreviewTable {
  locator: string;
  title?: string;
  header: string[];
  rows: CellValue[][];
}

export interface DocumentMetricSummary {
  metric: string;
  label: string;
  unit: string;
  periods: number;
  latest: { period: string; value: number } | null;
}

export interface DocumentDetail {
  document: DocumentRecord;
  preview: { blocks: TextBlock[]; tables: PreviewTable[] };
  metrics: DocumentMetricSummary[];
}

export interface DocumentCitation {
  document_id: string;
  document_name: string;
  locator: string;
  snippet?: string;
}

export interface BenchmarkCitation {
  benchmark: true;
  publisher: string;
  report: string;
  year: number | string;
  url?: string;
}

export type Citation = DocumentCitation | BenchmarkCitation;

/** Any of the three may be missing (a source that only gives a top-quartile threshold). */
export interface AnswerBenchmark {
  low?: number | null;
  median?: number | null;
  high?: number | null;
  label?: string;
  source?: string;
}

export interface AnswerMetric {
  metric: string;
  name: string;
  unit: string;
  /** An amount's currency (ISO 4217; `null`: several): set for unit `currency`. Without it, US dollars. */
  currency?: string | null;
  value: number;
  period: string;
  series: { period: string; value: number }[];
  benchmark?: AnswerBenchmark;
}

export interface ChatAnswer {
  session_id: string;
  turn: number;
  answer: string;
  citations: Citation[];
  metrics: AnswerMetric[];
  engine: string;
}

export interface Step {
  type: 'plan' | 'tool_call' | 'tool_result';
  name?: string;
  input?: unknown;
  output?: unknown;
  ok?: boolean;
  summary: string;
}

export interface SessionSummary {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  turns: number;
}

export interface Feedback {
  rating: 'up' | 'down';
  comment?: string | null;
}

export interface Turn {
  turn: number;
  question: string;
  answer: string;
  citations: Citation[];
  metrics: AnswerMetric[];
  engine: string;
  created_at: string;
  completed_at?: string | null;
  feedback: Feedback | null;
  error?: { code: string; message: string } | null;
  /** The steps as the partner saw them (turns saved before steps were kept have none). */
  steps?: Pick<Step, 'type' | 'summary' | 'ok'>[];
}

export interface Me {
  id: string;
  name: string;
  email: string;
  status: string;
  created_at: string;
  query_count: number;
  last_active: string | null;
  login_count: number;
  tokens: { input: number; output: number };
}

export interface TenantMetric {
  metric: string;
  name: string;
  unit: string;
  latest: { period: string; value: number; source?: unknown } | null;
  series: { period: string; value: number; source?: unknown }[];
}

export interface TraceSessionSummary {
  session_id: string;
  title: string;
  events: number;
  started_at: string;
  last_at: string;
}

export interface TraceEvent {
  ts: string;
  session_id: string;
  turn: number;
  type: string;
  name?: string;
  input?: unknown;
  output?: unknown;
  duration_ms?: number;
  tokens?: Record<string, number> | number;
  engine?: string;
  model?: string;
  [key: string]: unknown;
}

export type GraphNodeType = 'company' | 'metric' | 'document' | 'fact' | 'benchmark';

export interface GraphNode {
  id: string;
  type: GraphNodeType;
  label: string;
  data?: Record<string, unknown>;
}

export interface GraphEdge {
  source: string;
  target: string;
  type: string;
}

export interface QuestionnaireAnswers {
  first_impression: string;
  questions_and_help: string;
  uploaded: string;
  missing: string;
  recommend: string;
  recommend_why: string;
}

export interface Signal {
  signal: string;
  action: string;
}

// The registry's own record type: the admin API returns it as stored.
export type { TenantRecord } from '../../../src/tenants/types.ts';

export type TenantWithSignals = TenantRecord & { signals: Signal[] };

export interface AdminStats {
  active_partners: number;
  total_queries: number;
  have_logged_in: number;
  funnel: { created: number; logged_in: number; uploaded: number; asked: number; active_this_week: number };
  tenants: TenantWithSignals[];
}

export interface WelcomeEmail {
  subject: string;
  body: string;
}

export interface FeedbackComment {
  rating?: 'up' | 'down';
  comment?: string;
  session_id?: string;
  turn?: number;
  ts?: string;
  created_at?: string;
}

export interface TenantDetail {
  tenant: TenantRecord;
  signals: Signal[];
  disk?: { documents: number; sessions: number; bytes: number };
  /** The documents' stored bytes against TENANT_QUOTA_MB (quota_bytes 0 = unlimited). Optional: older servers. */
  storage?: { stored_bytes: number; quota_bytes: number; documents: number; processing: number };
  /** Optional: older servers answer without it. */
  feedback?: {
    up: number;
    down: number;
    comments: (FeedbackComment | string)[];
    questionnaire: (Partial<QuestionnaireAnswers> & { submitted_at?: string }) | null;
  };
}

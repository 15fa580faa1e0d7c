/**
 * The activity categories, once, in the order every picker shows them (the record form's
 * 类别 and the records list's category filter). Their names are the i18n messages
 * `category.<value>` (./i18n), so a picker shows `t(`category.${c}`)`.
 *
 * The order is that of the keys below. `satisfies Record<Category, true>` ties them to the
 * binding generated from the Rust enum (./ipc/bindings/Category.ts): vue-tsc fails when the
 * enum has a category missing here, or this lists one the enum no longer has.
 */
import type { AssistanceForm, Category, ConsultationFormat } from './ipc'

const IN_ORDER = {
  studio_activity: true,
  consultation: true,
  inspection: true,
  research_report: true,
  proposal: true,
  opinion_report: true,
  monitoring_intake: true,
  assistance: true,
  training: true,
  study_visit: true,
  other: true,
} satisfies Record<Category, true>

/** Every category, in display order. */
export const CATEGORIES: readonly Category[] = Object.freeze(Object.keys(IN_ORDER) as Category[])

/** One colour per category, each its own, for every chart that shows categories. */
export const CATEGORY_COLOURS: Readonly<Record<Category, string>> = Object.freeze({
  studio_activity: '#b3261e',
  consultation: '#5470c6',
  inspection: '#91cc75',
  research_report: '#fac858',
  proposal: '#73c0de',
  opinion_report: '#3ba272',
  monitoring_intake: '#fc8452',
  assistance: '#9a60b4',
  training: '#ea7ccc',
  study_visit: '#2f4554',
  other: '#8c8c8c',
})

const FORMATS_IN_ORDER = {
  please_come: true,
  thematic: true,
  counterpart: true,
  sector: true,
  proposal_handling: true,
} satisfies Record<ConsultationFormat, true>

/** The formats a consultation can take, in the order the form offers them. */
export const CONSULTATION_FORMATS: readonly ConsultationFormat[] = Object.freeze(
  Object.keys(FORMATS_IN_ORDER) as ConsultationFormat[],
)

const FORMS_IN_ORDER = {
  funds: true,
  goods: true,
  consumption: true,
  project: true,
} satisfies Record<AssistanceForm, true>

/** The forms assistance can take, in the order the form offers them. */
export const ASSISTANCE_FORMS: readonly AssistanceForm[] = Object.freeze(
  Object.keys(FORMS_IN_ORDER) as AssistanceForm[],
)

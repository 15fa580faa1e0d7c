/** How dates, numbers and money are shown: the way a Chinese office writes them. */

/** "2024-05-12" → "2024年5月12日" (zh) or "2024-05-12" (en). */
export function formatDate(iso: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!m) return iso
  if (locale !== 'zh-CN') return iso
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`
}

/** 10482 → "10,482". */
export function formatCount(n: number): string {
  return new Intl.NumberFormat('zh-CN').format(n)
}

/** 90543250 分 → "905,432.50". */
export function formatYuan(fen: number): string {
  return new Intl.NumberFormat('zh-CN', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(fen / 100)
}

/** Yuan as typed (up to 2 decimals) → integer 分, without float drift (0.29 → 29). */
export function yuanToFen(yuan: number | null | undefined): number {
  if (yuan === null || yuan === undefined || Number.isNaN(yuan)) return 0
  return Math.round(yuan * 100)
}

/** "2024-05-12T09:30:05.123" (a local time) → "2024年5月12日 09:30:05" (zh) or "2024-05-12 09:30:05". */
export function formatDateTime(iso: string, locale: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(iso)
  if (!m) return iso
  return `${formatDate(m[1], locale)} ${m[2]}`
}

/** 1536 → "2 KB", 3_500_000 → "3.3 MB". */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
  return `${Math.ceil(bytes / 1024)} KB`
}

/** A score in hundredths of a point → "5", "-5", "2.5", "1.25". */
export function formatPoints(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : ''
  const abs = Math.abs(hundredths)
  const whole = Math.floor(abs / 100)
  const part = abs % 100
  if (part === 0) return `${sign}${whole}`
  if (part % 10 === 0) return `${sign}${whole}.${part / 10}`
  return `${sign}${whole}.${String(part).padStart(2, '0')}`
}

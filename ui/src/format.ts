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

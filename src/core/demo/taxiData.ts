/**
 * Deterministic synthetic taxi trips shaped like the Chicago taxi data the TFX examples use, one
 * CSV per day. One day is shifted (longer trips paid by mobile, fewer tips) so drift is visible,
 * and a few cells are missing and one row is malformed so the demo shows how they are reported.
 */
import { mulberry32 } from '../util/random';

export interface TaxiDemoOptions {
  days: number;
  rowsPerDay: number;
  seed: number;
  /** 0-based day whose distribution is shifted. */
  shiftedDay: number;
}

export const TAXI_COLUMNS = [
  'trip_start_timestamp',
  'trip_start_hour',
  'trip_start_day',
  'trip_start_month',
  'pickup_community_area',
  'dropoff_community_area',
  'trip_miles',
  'trip_seconds',
  'fare',
  'tips',
  'payment_type',
  'company',
];

const COMPANIES = ['Flash Cab', 'Taxi Affiliation Services', 'Sun Taxi', 'City Service', 'Blue Ribbon Taxi', 'Chicago Carriage Cab'];
const PAYMENTS = ['Credit Card', 'Cash', 'Mobile', 'Prcard', 'Unknown'];
const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2026, 9, 5);

export function generateTaxiSpans(o: TaxiDemoOptions): { name: string; csv: string }[] {
  const random = mulberry32(o.seed);
  const spans: { name: string; csv: string }[] = [];
  for (let day = 0; day < o.days; day++) {
    const shifted = day === o.shiftedDay;
    const dayStart = FIRST_DAY + day * DAY_MS;
    const lines = [TAXI_COLUMNS.join(',')];
    for (let i = 0; i < o.rowsPerDay; i++) {
      const hour = Math.floor(Math.abs(gaussian(random) * 4 + 14)) % 24;
      const timestamp = Math.floor((dayStart + hour * 3_600_000 + random() * 3_600_000) / 1000);
      const miles = Math.max(0.1, Math.exp(gaussian(random) * 0.8 + (shifted ? 1.6 : 0.9)));
      const seconds = Math.round(miles * (150 + random() * 150) + 120);
      const fare = round2(3.25 + miles * 2.25 + (seconds / 36) * 0.25);
      const payment = pick(random, PAYMENTS, shifted ? [0.25, 0.2, 0.5, 0.03, 0.02] : [0.55, 0.35, 0.05, 0.03, 0.02]);
      const tipRate = payment === 'Cash' ? 0 : Math.max(0, gaussian(random) * 0.08 + (shifted ? 0.12 : 0.2));
      const tips = round2(fare * tipRate);
      const pickup = 1 + Math.floor(random() * 77);
      const dropoff = random() < 0.04 ? '' : String(1 + Math.floor(random() * 77));
      const company = random() < 0.05 ? 'NA' : pick(random, COMPANIES, [0.3, 0.25, 0.15, 0.12, 0.1, 0.08]);
      const date = new Date(dayStart);
      lines.push(
        [timestamp, hour, date.getUTCDay() + 1, date.getUTCMonth() + 1, pickup, dropoff, round2(miles), seconds, fare, tips, payment, quote(company)].join(','),
      );
    }
    if (day === 1) lines.splice(10, 0, '1759881600,9,2,10,8,32,1.5');
    spans.push({ name: `trips-${new Date(dayStart).toISOString().slice(0, 10)}.csv`, csv: lines.join('\n') + '\n' });
  }
  return spans;
}

function quote(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function pick<T>(random: () => number, items: T[], weights: number[]): T {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) if ((r -= weights[i]) < 0) return items[i];
  return items[items.length - 1];
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

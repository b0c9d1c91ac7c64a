/**
 * Units, one definition each. The same words as the contracts and the field-name suffixes:
 *   Bps      basis points, 1e4 = 100% (`93_00` = 93%)
 *   Wad      1e18 fixed point; prices and exchange rates are ETH per collateral token, 1e18 = at par
 *   Ray      1e27 fixed point (Aave indexes and rates)
 *   Seconds  time; Days and years only where a formula says so (the exit-queue discount `y T / 365`)
 *   Eth      a plain number of ETH (floating point, model and reports)
 */

/** Basis points in 100%, as a number (model, params files, reports). */
export const BPS = 10_000;
/** Basis points in 100%, as a bigint (on-chain values). */
export const BPS_BIGINT = 10_000n;
/** Half of `BPS`: Aave's `percentMul` rounds half up by adding it. */
export const HALF_BPS_BIGINT = 5_000n;

/** 1e18: one in WAD fixed point. */
export const WAD = 10n ** 18n;
/** 1e18 as a number, for converting WAD values to floating point. */
export const WAD_NUMBER = 1e18;
/** 1e27: one in RAY fixed point (Aave). */
export const RAY = 10n ** 27n;

export const SECONDS_PER_HOUR = 3_600;
export const SECONDS_PER_DAY = 86_400;
/** Days in the year of the exit-queue discount `y T / 365` (a 365-day year, as Aave's and Lido's APRs). */
export const DAYS_PER_YEAR = 365;
export const SECONDS_PER_YEAR = DAYS_PER_YEAR * SECONDS_PER_DAY;


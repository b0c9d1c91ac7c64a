// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title RiskMath
/// @notice Pure math of Cascade Guard: discount, NAV drop, backing shortfall, time-weighted EMA with a half-life,
/// the piecewise-linear haircut curve, the bounded LT ramp and the risk-level hysteresis.
/// @dev Mirrored one to one by `scripts/lib/riskMath.ts` (bigint) and checked against the same vectors.
/// Units: WAD = 1e18 (prices, rates, factors), BPS = 1e4, time in seconds. Rounding is against the borrower: a
/// discount, drop, shortfall or haircut is rounded up; the allowed LT-ramp step is rounded down.
library RiskMath {
  uint256 internal constant WAD = 1e18;
  uint256 internal constant BPS = 1e4;
  /// @dev ln(2) in WAD.
  uint256 internal constant LN2_WAD = 693_147_180_559_945_309;

  /// @dev Risk levels as integers (mirrors ICollateralRiskOracle.RiskLevel).
  uint8 internal constant NORMAL = 0;
  uint8 internal constant ELEVATED = 1;
  uint8 internal constant STRESSED = 2;
  uint8 internal constant IMPAIRED = 3;

  /// @notice Relative shortfall of `lowWad` below `refWad` in bps, rounded up, 0 when `lowWad >= refWad`,
  /// capped at 1e4.
  /// @dev shortfallBps = ceil((ref - low) * 1e4 / ref). Used for the market discount (low = market price,
  /// ref = exchange rate), the NAV drop (low = rate, ref = recent high) and the backing shortfall.
  function shortfallBps(uint256 lowWad, uint256 refWad) internal pure returns (uint256) {
    if (lowWad >= refWad) return 0;
    // refWad > lowWad >= 0 so refWad > 0; (ref - low) * 1e4 cannot overflow for values below 2^242.
    uint256 num = (refWad - lowWad) * BPS;
    return (num + refWad - 1) / refWad;
  }

  /// @notice 2^(-elapsed / halfLife) in WAD.
  /// @dev Integer halvings by shift; the fractional part by e^(-y), y = frac * ln2 < 0.694, from its Taylor series
  /// to the 6th power in Horner form: e^-y = 1 - y(1 - y/2(1 - y/3(1 - y/4(1 - y/5(1 - y/6))))) (truncation error
  /// < 2e-5). halfLife = 0 means no memory (factor 0).
  function decayFactorWad(uint256 elapsedSeconds, uint256 halfLifeSeconds) internal pure returns (uint256) {
    if (halfLifeSeconds == 0) return 0;
    uint256 halvings = elapsedSeconds / halfLifeSeconds;
    if (halvings >= 64) return 0;
    uint256 fracWad = ((elapsedSeconds % halfLifeSeconds) * WAD) / halfLifeSeconds;
    uint256 y = (fracWad * LN2_WAD) / WAD;
    // unchecked: y < 0.7e18 and every t stays in (0, 1e18], so y * t < 2^120 and WAD - (y * t / WAD) / k > 0.
    unchecked {
      uint256 t = WAD - y / 6;
      t = WAD - (y * t) / WAD / 5;
      t = WAD - (y * t) / WAD / 4;
      t = WAD - (y * t) / WAD / 3;
      t = WAD - (y * t) / WAD / 2;
      t = WAD - (y * t) / WAD;
      return t >> halvings;
    }
  }

  /// @notice Time-weighted EMA: ema' = sample + (prev - sample) * 2^(-elapsed / halfLife), rounded to nearest bp.
  function emaBps(
    uint256 prevEmaBps,
    uint256 sampleBps,
    uint256 elapsedSeconds,
    uint256 halfLifeSeconds
  ) internal pure returns (uint256) {
    uint256 f = decayFactorWad(elapsedSeconds, halfLifeSeconds);
    if (prevEmaBps >= sampleBps) {
      return sampleBps + ((prevEmaBps - sampleBps) * f + WAD / 2) / WAD;
    }
    return sampleBps - ((sampleBps - prevEmaBps) * f + WAD / 2) / WAD;
  }

  /// @notice Piecewise-linear haircut curve through four knots (x = discount bps, y = haircut bps), flat at y0
  /// below x0 and at y3 above x3; linear in between, rounded up.
  /// @dev Requires strictly increasing x and non-decreasing y (validated where the knots are stored).
  function curveHaircutBps(uint256 discountBps, uint16[8] memory knots) internal pure returns (uint256) {
    if (discountBps <= knots[0]) return knots[1];
    if (discountBps <= knots[2]) return _lerpUp(discountBps, knots[0], knots[1], knots[2], knots[3]);
    if (discountBps <= knots[4]) return _lerpUp(discountBps, knots[2], knots[3], knots[4], knots[5]);
    if (discountBps <= knots[6]) return _lerpUp(discountBps, knots[4], knots[5], knots[6], knots[7]);
    return knots[7];
  }

  /// @dev y = y0 + (y1 - y0) * (x - x0) / (x1 - x0), rounded up, for x0 < x <= x1 (x1 > x0 and y1 >= y0 by the
  /// curve's validation).
  function _lerpUp(uint256 x, uint256 x0, uint256 y0, uint256 x1, uint256 y1) private pure returns (uint256) {
    uint256 num = (y1 - y0) * (x - x0);
    uint256 den = x1 - x0;
    return y0 + (num + den - 1) / den;
  }

  /// @notice Whether four knots form a valid curve: x strictly increasing, y non-decreasing, y <= 1e4.
  function isValidCurve(uint16[8] memory knots) internal pure returns (bool) {
    for (uint256 i = 2; i < 8; i += 2) {
      if (knots[i] <= knots[i - 2] || knots[i + 1] < knots[i - 1]) return false;
    }
    return knots[7] <= BPS;
  }

  /// @notice Total haircut: curve(discount) + ceil(navDrop * multiplier / 1e4), capped at 1e4.
  function totalHaircutBps(
    uint256 discountBps,
    uint256 navDropBps,
    uint256 navDropHaircutMultiplierBps,
    uint16[8] memory knots
  ) internal pure returns (uint256) {
    uint256 h = curveHaircutBps(discountBps, knots) + (navDropBps * navDropHaircutMultiplierBps + BPS - 1) / BPS;
    return h > BPS ? BPS : h;
  }

  /// @notice base - haircut, never below floor (and never above base).
  function applyHaircut(uint256 baseBps, uint256 haircutBps, uint256 floorBps) internal pure returns (uint256) {
    uint256 v = haircutBps >= baseBps ? 0 : baseBps - haircutBps;
    return v < floorBps ? floorBps : v;
  }

  /// @notice Largest step (bps) allowed after `elapsedSeconds` at `rateBpsPerHour`, rounded down, and the seconds
  /// that step consumes (so fractions are not lost when the ramp clock advances).
  /// @dev step = floor(rate * elapsed / 3600); consumed = ceil(step * 3600 / rate) <= elapsed.
  function rampStep(
    uint256 elapsedSeconds,
    uint256 rateBpsPerHour
  ) internal pure returns (uint256 stepBps, uint256 consumedSeconds) {
    if (rateBpsPerHour == 0) return (0, 0);
    stepBps = (rateBpsPerHour * elapsedSeconds) / 3600;
    consumedSeconds = (stepBps * 3600 + rateBpsPerHour - 1) / rateBpsPerHour;
  }

  /// @notice Move `current` toward `target` by at most `maxStep`.
  function moveToward(uint256 current, uint256 target, uint256 maxStep) internal pure returns (uint256) {
    if (target < current) return current - target > maxStep ? current - maxStep : target;
    return target - current > maxStep ? current + maxStep : target;
  }

  /// @notice Risk level from the discount with hysteresis; IMPAIRED overrides.
  /// @dev Escalation is immediate at the entry thresholds; a level is left only once the discount is below its
  /// entry threshold minus `hysteresisBps`. Leaving IMPAIRED re-enters the discount levels as if from STRESSED.
  function nextLevel(
    uint8 currentLevel,
    uint256 discountBps,
    uint256 elevatedBps,
    uint256 stressBps,
    uint256 hysteresisBps,
    bool impaired
  ) internal pure returns (uint8) {
    if (impaired) return IMPAIRED;
    uint8 raw = discountBps >= stressBps ? STRESSED : (discountBps >= elevatedBps ? ELEVATED : NORMAL);
    uint8 cur = currentLevel == IMPAIRED ? STRESSED : currentLevel;
    if (raw >= cur) return raw;
    // De-escalate step by step while the discount sits below the exit line of the current level.
    if (cur == STRESSED) {
      if (discountBps + hysteresisBps >= stressBps) return STRESSED;
      cur = ELEVATED;
    }
    if (cur == ELEVATED && discountBps + hysteresisBps >= elevatedBps) return ELEVATED;
    return raw;
  }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RiskMath} from "../libraries/RiskMath.sol";

/// @title RiskMathHarness
/// @notice Test-only harness exposing `RiskMath` so its vectors can be checked against the TypeScript mirror.
contract RiskMathHarness {
  function shortfallBps(uint256 lowWad, uint256 refWad) external pure returns (uint256) {
    return RiskMath.shortfallBps(lowWad, refWad);
  }

  function decayFactorWad(uint256 elapsedSeconds, uint256 halfLifeSeconds) external pure returns (uint256) {
    return RiskMath.decayFactorWad(elapsedSeconds, halfLifeSeconds);
  }

  function emaBps(uint256 prev, uint256 sample, uint256 elapsed, uint256 halfLife) external pure returns (uint256) {
    return RiskMath.emaBps(prev, sample, elapsed, halfLife);
  }

  function curveHaircutBps(uint256 discountBps, uint16[8] memory knots) external pure returns (uint256) {
    return RiskMath.curveHaircutBps(discountBps, knots);
  }

  function isValidCurve(uint16[8] memory knots) external pure returns (bool) {
    return RiskMath.isValidCurve(knots);
  }

  function totalHaircutBps(
    uint256 discountBps,
    uint256 navDropBps,
    uint256 multiplierBps,
    uint16[8] memory knots
  ) external pure returns (uint256) {
    return RiskMath.totalHaircutBps(discountBps, navDropBps, multiplierBps, knots);
  }

  function applyHaircut(uint256 baseBps, uint256 haircutBps, uint256 floorBps) external pure returns (uint256) {
    return RiskMath.applyHaircut(baseBps, haircutBps, floorBps);
  }

  function rampStep(uint256 elapsedSeconds, uint256 rateBpsPerHour) external pure returns (uint256, uint256) {
    return RiskMath.rampStep(elapsedSeconds, rateBpsPerHour);
  }

  function moveToward(uint256 current, uint256 target, uint256 maxStep) external pure returns (uint256) {
    return RiskMath.moveToward(current, target, maxStep);
  }

  function nextLevel(
    uint8 currentLevel,
    uint256 discountBps,
    uint256 elevatedBps,
    uint256 stressBps,
    uint256 hysteresisBps,
    bool impaired
  ) external pure returns (uint8) {
    return RiskMath.nextLevel(currentLevel, discountBps, elevatedBps, stressBps, hysteresisBps, impaired);
  }
}

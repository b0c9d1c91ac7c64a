// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IIrm} from "@morpho-org/morpho-blue/src/interfaces/IIrm.sol";
import {MarketParams, Market} from "@morpho-org/morpho-blue/src/interfaces/IMorpho.sol";

/// @title ReplicaMorphoIrm
/// @notice Ours, not Morpho's: an interest rate model for the local Morpho Blue replica, implementing Morpho's `IIrm`.
/// Morpho's AdaptiveCurveIrm ships in no installed package, so the replica uses its *curve* with a fixed rate at
/// target (no adaptation over time): with utilisation u, target U, steepness C and rate at target R,
///   err = (u - U) / (1 - U) when u > U, else (u - U) / U
///   rate = R x (1 + (C - 1) x err) when err > 0, else R x (1 + (1 - 1/C) x err)
/// so the rate runs from R/C at u = 0 to R x C at u = 100%. Defaults in the replica: U = 90%, C = 4, R = 4% a year
/// (AdaptiveCurveIrm's constants and initial rate at target). Replays last hours, so the missing adaptation (a rate
/// that doubles in ~5 days at 100% utilisation) changes little; the docs say so.
/// @dev Rates are per second, WAD, as Morpho expects. Stateless: `borrowRate` and `borrowRateView` agree.
contract ReplicaMorphoIrm is IIrm {
  uint256 private constant WAD = 1e18;

  /// @notice Target utilisation, WAD (e.g. 0.9e18).
  uint256 public immutable TARGET_UTILIZATION_WAD;
  /// @notice Curve steepness, WAD (e.g. 4e18).
  uint256 public immutable CURVE_STEEPNESS_WAD;
  /// @notice Borrow rate at target utilisation, per second, WAD.
  uint256 public immutable RATE_AT_TARGET_PER_SECOND_WAD;

  /// @notice A constructor argument is out of range.
  error ReplicaIrmInvalidParam(string field, uint256 value);

  constructor(uint256 targetUtilizationWad, uint256 curveSteepnessWad, uint256 rateAtTargetPerSecondWad) {
    if (targetUtilizationWad == 0 || targetUtilizationWad >= WAD) {
      revert ReplicaIrmInvalidParam("targetUtilizationWad", targetUtilizationWad);
    }
    if (curveSteepnessWad < WAD || curveSteepnessWad > 100 * WAD) {
      revert ReplicaIrmInvalidParam("curveSteepnessWad", curveSteepnessWad);
    }
    // 1e12 (1e-6 per second) is ~3,150% a year: anything above is a unit mistake.
    if (rateAtTargetPerSecondWad > 1e12) revert ReplicaIrmInvalidParam("rateAtTargetPerSecondWad", rateAtTargetPerSecondWad);
    TARGET_UTILIZATION_WAD = targetUtilizationWad;
    CURVE_STEEPNESS_WAD = curveSteepnessWad;
    RATE_AT_TARGET_PER_SECOND_WAD = rateAtTargetPerSecondWad;
  }

  /// @inheritdoc IIrm
  function borrowRate(MarketParams memory, Market memory market) external view returns (uint256) {
    return _rate(market);
  }

  /// @inheritdoc IIrm
  function borrowRateView(MarketParams memory, Market memory market) external view returns (uint256) {
    return _rate(market);
  }

  function _rate(Market memory market) private view returns (uint256) {
    uint256 u = market.totalSupplyAssets == 0 ? 0 : (uint256(market.totalBorrowAssets) * WAD) / market.totalSupplyAssets;
    if (u > WAD) u = WAD;
    uint256 target = TARGET_UTILIZATION_WAD;
    uint256 r = RATE_AT_TARGET_PER_SECOND_WAD;
    if (u > target) {
      // rate = R x (1 + (C - 1) x (u - U) / (1 - U))
      uint256 errWad = ((u - target) * WAD) / (WAD - target);
      return r + (r * (CURVE_STEEPNESS_WAD - WAD) / WAD) * errWad / WAD;
    }
    // rate = R x (1 - (1 - 1/C) x (U - u) / U)
    uint256 errBelowWad = ((target - u) * WAD) / target;
    uint256 coeffWad = WAD - (WAD * WAD) / CURVE_STEEPNESS_WAD;
    return r - (r * coeffWad / WAD) * errBelowWad / WAD;
  }
}

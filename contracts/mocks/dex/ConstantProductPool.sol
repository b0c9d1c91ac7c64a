// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ReplicaDexPoolBase} from "./ReplicaDexPoolBase.sol";

/// @title ConstantProductPool
/// @notice x * y = k pool (Uniswap v2 curve, fee taken on the input), LRT/WETH. Thin LRT pools (ezETH, rsETH,
///         osETH) in the replica use it: selling collateral moves the price quadratically in size/depth.
contract ConstantProductPool is ReplicaDexPoolBase {
  /// @param lrt TOKEN0
  /// @param weth TOKEN1
  /// @param feeBps swap fee, bps
  /// @param owner_ may remove liquidity
  constructor(address lrt, address weth, uint256 feeBps, address owner_) ReplicaDexPoolBase(lrt, weth, feeBps, owner_) {}

  // amountOut = amountIn (1 - fee) rOut / (rIn + amountIn (1 - fee)), rounded down
  function _amountOut(bool zeroForOne, uint256 amountIn, uint256 r0, uint256 r1) internal view override returns (uint256) {
    (uint256 rIn, uint256 rOut) = zeroForOne ? (r0, r1) : (r1, r0);
    uint256 inAfterFee = amountIn * (_BPS - FEE_BPS);
    return (inAfterFee * rOut) / (rIn * _BPS + inAfterFee);
  }

  // spot = r1 / r0 (WETH per LRT), WAD
  function _spotPriceWad(uint256 r0, uint256 r1) internal pure override returns (uint256) {
    return r0 == 0 ? 0 : (r1 * 1e18) / r0;
  }
}

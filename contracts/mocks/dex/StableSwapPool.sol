// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ReplicaDexPoolBase} from "./ReplicaDexPoolBase.sol";
import {IReplicaRateSource} from "../replica/IReplicaPriceSource.sol";

/// @title StableSwapPool
/// @notice Two-coin Curve stableswap pool (LRT/WETH) with an oracle-scaled LRT balance, like Curve
///         stableswap-ng pools with a rate oracle: the peg is the LRT exchange rate, not 1:1.
///         Invariant (Curve whitepaper, n = 2): A n^n (x + y) + D = A D n^n + D^3 / (n^n x y), with x the
///         LRT balance times its rate and y the WETH balance. `AMPLIFICATION` follows Curve's contract
///         convention (`A()`), so Ann = AMPLIFICATION * n. Fee taken on the output, as Curve does.
contract StableSwapPool is ReplicaDexPoolBase {
  /// @notice Thrown when Newton's method does not converge.
  error StableSwapNoConvergence();

  uint256 private constant _N = 2;
  uint256 private constant _MAX_ITERATIONS = 255;

  /// @notice Amplification coefficient, Curve `A()` convention.
  uint256 public immutable AMPLIFICATION;
  /// @notice Rate provider scaling the LRT balance (ETH per LRT, WAD); address(0) = 1:1.
  address public immutable RATE_PROVIDER;

  /// @param lrt TOKEN0
  /// @param weth TOKEN1
  /// @param amplification Curve `A()`
  /// @param feeBps swap fee, bps
  /// @param rateProvider `getRate()` source for the LRT's peg, or address(0)
  /// @param owner_ may remove liquidity
  constructor(address lrt, address weth, uint256 amplification, uint256 feeBps, address rateProvider, address owner_)
    ReplicaDexPoolBase(lrt, weth, feeBps, owner_)
  {
    AMPLIFICATION = amplification;
    RATE_PROVIDER = rateProvider;
  }

  /// @notice Current scale of the LRT balance (ETH per LRT, WAD).
  function rateWad() public view returns (uint256) {
    return RATE_PROVIDER == address(0) ? 1e18 : IReplicaRateSource(RATE_PROVIDER).getRate();
  }

  /// @notice The invariant D for the current balances (ETH units, WAD).
  function getD() external view returns (uint256) {
    return _getD((_reserve0 * rateWad()) / 1e18, _reserve1);
  }

  function _amountOut(bool zeroForOne, uint256 amountIn, uint256 r0, uint256 r1) internal view override returns (uint256) {
    uint256 rate = rateWad();
    uint256 x0 = (r0 * rate) / 1e18;
    uint256 d = _getD(x0, r1);
    if (zeroForOne) {
      // sell LRT: new scaled x, solve y, pay the WETH difference less fee (1 wei kept against rounding)
      uint256 y = _getY(x0 + (amountIn * rate) / 1e18, d);
      if (y + 1 >= r1) return 0;
      uint256 dy = r1 - y - 1;
      return dy - (dy * FEE_BPS) / _BPS;
    }
    uint256 x = _getY(r1 + amountIn, d);
    if (x + 1 >= x0) return 0;
    uint256 dx = x0 - x - 1;
    dx -= (dx * FEE_BPS) / _BPS;
    return (dx * 1e18) / rate;
  }

  // Marginal price of scaled coin 0 in coin 1 = F_x / F_y with F the invariant:
  //   (Ann + Dr / x) / (Ann + Dr / y) = (Ann x y + Dr y) / (Ann x y + Dr x),  Dr = D^3 / (4 x y)
  // then times the LRT rate to get WETH per LRT token.
  function _spotPriceWad(uint256 r0, uint256 r1) internal view override returns (uint256) {
    if (r0 == 0 || r1 == 0) return 0;
    uint256 rate = rateWad();
    uint256 x = (r0 * rate) / 1e18;
    uint256 y = r1;
    uint256 d = _getD(x, y);
    uint256 ann = AMPLIFICATION * _N;
    uint256 dr = (((d * d) / (x * _N)) * d) / (y * _N);
    uint256 annXY = (ann * x * y) / 1e18;
    uint256 num = annXY + (dr * y) / 1e18;
    uint256 den = annXY + (dr * x) / 1e18;
    return (((num * 1e18) / den) * rate) / 1e18;
  }

  // Newton's method for D (Curve get_D):
  //   D_P = D^3 / (4 x y);  D <- (Ann S + 2 D_P) D / ((Ann - 1) D + 3 D_P)
  function _getD(uint256 x, uint256 y) private view returns (uint256) {
    uint256 s = x + y;
    if (s == 0) return 0;
    uint256 ann = AMPLIFICATION * _N;
    uint256 d = s;
    for (uint256 i = 0; i < _MAX_ITERATIONS; ++i) {
      uint256 dP = (((d * d) / (x * _N)) * d) / (y * _N);
      uint256 prev = d;
      d = ((ann * s + dP * _N) * d) / ((ann - 1) * d + (_N + 1) * dP);
      if (d > prev ? d - prev <= 1 : prev - d <= 1) return d;
    }
    revert StableSwapNoConvergence();
  }

  // Solve the invariant for the other balance given one balance `x` (Curve get_y):
  //   y^2 + (b - D) y = c,  b = x + D / Ann,  c = D^3 / (4 x Ann);  y <- (y^2 + c) / (2 y + b - D)
  function _getY(uint256 x, uint256 d) private view returns (uint256) {
    uint256 ann = AMPLIFICATION * _N;
    uint256 c = (((d * d) / (x * _N)) * d) / (ann * _N);
    uint256 b = x + d / ann;
    uint256 y = d;
    for (uint256 i = 0; i < _MAX_ITERATIONS; ++i) {
      uint256 prev = y;
      y = (y * y + c) / (2 * y + b - d);
      if (y > prev ? y - prev <= 1 : prev - y <= 1) return y;
    }
    revert StableSwapNoConvergence();
  }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IExchangeRateAdapter} from "../interfaces/IExchangeRateAdapter.sol";
import {IWeEth, IKelpLrtOracle, IRenzoRestakeManager, IOsTokenVaultController} from "../interfaces/external/ILrtRateSources.sol";

/// @title GetRateAdapter
/// @notice Exchange rate from a `getRate()` source: the ether.fi weETH token itself, or a Balancer-style rate
/// provider such as Renzo's ezETH `BalancerRateProvider`. Both return ETH per token at 1e18.
contract GetRateAdapter is IExchangeRateAdapter {
  /// @inheritdoc IExchangeRateAdapter
  address public immutable RATE_SOURCE;
  /// @inheritdoc IExchangeRateAdapter
  bool public constant BLIND_TO_UNBACKED_MINTS = false;
  string private _description;

  /// @param source The weETH token or rate provider.
  /// @param description_ E.g. "weETH getRate()".
  constructor(address source, string memory description_) {
    if (source == address(0)) revert AdapterZeroAddress();
    RATE_SOURCE = source;
    _description = description_;
  }

  /// @inheritdoc IExchangeRateAdapter
  function getRateWad() external view returns (uint256) {
    return IWeEth(RATE_SOURCE).getRate();
  }

  /// @inheritdoc IExchangeRateAdapter
  function description() external view returns (string memory) {
    return _description;
  }
}

/// @title KelpRsEthRateAdapter
/// @notice rsETH exchange rate from Kelp's `LRTOracle.rsETHPrice()` (ETH per rsETH, 1e18).
/// @dev `rsETHPrice` is a stored value updated by Kelp; it does not see unbacked bridge mints (April 2026), which is
/// why the oracle also takes a backing feed.
contract KelpRsEthRateAdapter is IExchangeRateAdapter {
  /// @inheritdoc IExchangeRateAdapter
  address public immutable RATE_SOURCE;
  /// @inheritdoc IExchangeRateAdapter
  bool public constant BLIND_TO_UNBACKED_MINTS = true;

  constructor(IKelpLrtOracle lrtOracle) {
    if (address(lrtOracle) == address(0)) revert AdapterZeroAddress();
    RATE_SOURCE = address(lrtOracle);
  }

  /// @inheritdoc IExchangeRateAdapter
  function getRateWad() external view returns (uint256) {
    return IKelpLrtOracle(RATE_SOURCE).rsETHPrice();
  }

  /// @inheritdoc IExchangeRateAdapter
  function description() external pure returns (string memory) {
    return "rsETH LRTOracle.rsETHPrice()";
  }
}

/// @title Erc4626RateAdapter
/// @notice Exchange rate of any ERC-4626 vault share whose asset is ETH-denominated (pufETH: asset WETH):
/// `convertToAssets(one share)` normalised to 1e18 using the share and asset decimals read at construction.
contract Erc4626RateAdapter is IExchangeRateAdapter {
  /// @inheritdoc IExchangeRateAdapter
  address public immutable RATE_SOURCE;
  /// @inheritdoc IExchangeRateAdapter
  bool public constant BLIND_TO_UNBACKED_MINTS = false;
  uint256 private immutable ONE_SHARE;
  uint256 private immutable ASSET_UNIT;

  constructor(IERC4626 vault) {
    if (address(vault) == address(0)) revert AdapterZeroAddress();
    RATE_SOURCE = address(vault);
    ONE_SHARE = 10 ** vault.decimals();
    ASSET_UNIT = 10 ** IERC20Metadata(vault.asset()).decimals();
  }

  /// @inheritdoc IExchangeRateAdapter
  function getRateWad() external view returns (uint256) {
    // rate = assets(one share) / one asset unit, in WAD.
    return (IERC4626(RATE_SOURCE).convertToAssets(ONE_SHARE) * 1e18) / ASSET_UNIT;
  }

  /// @inheritdoc IExchangeRateAdapter
  function description() external pure returns (string memory) {
    return "ERC-4626 convertToAssets(1 share)";
  }
}

/// @title RenzoTvlRateAdapter
/// @notice ezETH exchange rate from Renzo's `RestakeManager.calculateTVLs()` total TVL divided by ezETH total
/// supply (ETH per ezETH, 1e18). Prefer `GetRateAdapter` on Renzo's rate provider where it is deployed: this one is
/// gas heavy (`calculateTVLs` walks every operator delegator and token).
contract RenzoTvlRateAdapter is IExchangeRateAdapter {
  /// @inheritdoc IExchangeRateAdapter
  address public immutable RATE_SOURCE;
  /// @inheritdoc IExchangeRateAdapter
  bool public constant BLIND_TO_UNBACKED_MINTS = false;
  /// @notice The ezETH token.
  IERC20 public immutable EZETH;

  constructor(IRenzoRestakeManager restakeManager, IERC20 ezEth) {
    if (address(restakeManager) == address(0) || address(ezEth) == address(0)) revert AdapterZeroAddress();
    RATE_SOURCE = address(restakeManager);
    EZETH = ezEth;
  }

  /// @inheritdoc IExchangeRateAdapter
  function getRateWad() external view returns (uint256) {
    (, , uint256 totalTvl) = IRenzoRestakeManager(RATE_SOURCE).calculateTVLs();
    uint256 supply = EZETH.totalSupply();
    if (supply == 0) revert AdapterInvalidSourceValue(address(EZETH));
    return (totalTvl * 1e18) / supply;
  }

  /// @inheritdoc IExchangeRateAdapter
  function description() external pure returns (string memory) {
    return "ezETH RestakeManager.calculateTVLs() / totalSupply";
  }
}

/// @title StakeWiseOsEthRateAdapter
/// @notice osETH exchange rate from StakeWise v3 `OsTokenVaultController.convertToAssets(1e18)`.
contract StakeWiseOsEthRateAdapter is IExchangeRateAdapter {
  /// @inheritdoc IExchangeRateAdapter
  address public immutable RATE_SOURCE;
  /// @inheritdoc IExchangeRateAdapter
  bool public constant BLIND_TO_UNBACKED_MINTS = false;

  constructor(IOsTokenVaultController controller) {
    if (address(controller) == address(0)) revert AdapterZeroAddress();
    RATE_SOURCE = address(controller);
  }

  /// @inheritdoc IExchangeRateAdapter
  function getRateWad() external view returns (uint256) {
    return IOsTokenVaultController(RATE_SOURCE).convertToAssets(1e18);
  }

  /// @inheritdoc IExchangeRateAdapter
  function description() external pure returns (string memory) {
    return "osETH OsTokenVaultController.convertToAssets(1e18)";
  }
}

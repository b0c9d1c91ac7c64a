// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title ReplicaToken
/// @notice Test ERC-20 standing in for WETH, wstETH and the LRTs in the local Aave v3 replica.
///         Plain ERC-20 semantics (no rebasing, no fee); the owner and the minters it appoints may mint.
///         The LRT exchange rate lives in a separate rate provider mock, never in the token.
contract ReplicaToken is ERC20, Ownable {
  /// @notice Thrown when `caller` may not mint.
  error ReplicaTokenNotMinter(address caller);

  /// @notice Emitted after `account` was allowed (`allowed = true`) or denied minting.
  event MinterSet(address indexed account, bool allowed);

  uint8 private immutable _DECIMALS;
  mapping(address account => bool allowed) private _minters;

  /// @param name_ ERC-20 name
  /// @param symbol_ ERC-20 symbol
  /// @param decimals_ token decimals (18 for every ETH-like asset on Aave v3 Ethereum)
  /// @param owner_ owner, also the first minter
  constructor(string memory name_, string memory symbol_, uint8 decimals_, address owner_)
    ERC20(name_, symbol_)
    Ownable(owner_)
  {
    _DECIMALS = decimals_;
  }

  /// @notice Allows or denies `account` minting.
  function setMinter(address account, bool allowed) external onlyOwner {
    _minters[account] = allowed;
    emit MinterSet(account, allowed);
  }

  /// @notice Whether `account` may mint (the owner always may).
  function isMinter(address account) public view returns (bool) {
    return account == owner() || _minters[account];
  }

  /// @notice Mints `amount` (token units) to `to`.
  function mint(address to, uint256 amount) external {
    if (!isMinter(msg.sender)) revert ReplicaTokenNotMinter(msg.sender);
    _mint(to, amount);
  }

  /// @inheritdoc ERC20
  function decimals() public view override returns (uint8) {
    return _DECIMALS;
  }
}

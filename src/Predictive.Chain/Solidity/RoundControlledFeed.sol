// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";

/// @title A test price feed whose every latestRoundData field is set by its deployer.
/// @notice Chainlink's MockV3Aggregator always reports answeredInRound = roundId; this feed can also report a round
/// that was started but not answered (answeredInRound < roundId), as a faulty or hostile aggregator may. Tests only.
contract RoundControlledFeed is AggregatorV3Interface {
    uint8 public immutable override decimals;
    address private immutable _admin;
    uint80 private _roundId;
    int256 private _answer;
    uint256 private _updatedAt;
    uint80 private _answeredInRound;

    error NotAdmin(address caller);

    constructor(uint8 decimals_) {
        decimals = decimals_;
        _admin = msg.sender;
    }

    function setRound(uint80 roundId_, int256 answer_, uint256 updatedAt_, uint80 answeredInRound_) external {
        if (msg.sender != _admin) revert NotAdmin(msg.sender);
        _roundId = roundId_;
        _answer = answer_;
        _updatedAt = updatedAt_;
        _answeredInRound = answeredInRound_;
    }

    function description() external pure override returns (string memory) {
        return "RoundControlledFeed (test)";
    }

    function version() external pure override returns (uint256) {
        return 1;
    }

    function getRoundData(uint80 roundId_) external view override returns (uint80, int256, uint256, uint256, uint80) {
        return (roundId_, roundId_ == _roundId ? _answer : int256(0), _updatedAt, _updatedAt, _answeredInRound);
    }

    function latestRoundData() external view override returns (uint80, int256, uint256, uint256, uint80) {
        return (_roundId, _answer, _updatedAt, _updatedAt, _answeredInRound);
    }
}

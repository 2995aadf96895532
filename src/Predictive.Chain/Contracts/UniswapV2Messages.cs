using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Predictive.Chain.Contracts;

#pragma warning disable CS1591 // Typed ABI messages: each property is the Solidity parameter of the same name.

/// <summary>Factory.getPair(tokenA, tokenB) returns (address).</summary>
[Function("getPair", "address")]
public sealed class GetPairFunction : FunctionMessage
{
    [Parameter("address", "tokenA", 1)] public string TokenA { get; set; } = "";
    [Parameter("address", "tokenB", 2)] public string TokenB { get; set; } = "";
}

/// <summary>Router.addLiquidity(...).</summary>
[Function("addLiquidity")]
public sealed class AddLiquidityFunction : FunctionMessage
{
    [Parameter("address", "tokenA", 1)] public string TokenA { get; set; } = "";
    [Parameter("address", "tokenB", 2)] public string TokenB { get; set; } = "";
    [Parameter("uint256", "amountADesired", 3)] public BigInteger AmountADesired { get; set; }
    [Parameter("uint256", "amountBDesired", 4)] public BigInteger AmountBDesired { get; set; }
    [Parameter("uint256", "amountAMin", 5)] public BigInteger AmountAMin { get; set; }
    [Parameter("uint256", "amountBMin", 6)] public BigInteger AmountBMin { get; set; }
    [Parameter("address", "to", 7)] public string To { get; set; } = "";
    [Parameter("uint256", "deadline", 8)] public BigInteger Deadline { get; set; }
}

/// <summary>Router.swapExactTokensForTokens(amountIn, amountOutMin, path, to, deadline) returns (uint256[]).</summary>
[Function("swapExactTokensForTokens", "uint256[]")]
public sealed class SwapExactTokensForTokensFunction : FunctionMessage
{
    [Parameter("uint256", "amountIn", 1)] public BigInteger AmountIn { get; set; }
    [Parameter("uint256", "amountOutMin", 2)] public BigInteger AmountOutMin { get; set; }
    [Parameter("address[]", "path", 3)] public List<string> Path { get; set; } = [];
    [Parameter("address", "to", 4)] public string To { get; set; } = "";
    [Parameter("uint256", "deadline", 5)] public BigInteger Deadline { get; set; }
}

/// <summary>Router.getAmountsOut(amountIn, path) returns (uint256[]).</summary>
[Function("getAmountsOut", "uint256[]")]
public sealed class GetAmountsOutFunction : FunctionMessage
{
    [Parameter("uint256", "amountIn", 1)] public BigInteger AmountIn { get; set; }
    [Parameter("address[]", "path", 2)] public List<string> Path { get; set; } = [];
}

/// <summary>Pair.getReserves().</summary>
[Function("getReserves", typeof(ReservesOutput))]
public sealed class GetReservesFunction : FunctionMessage;

/// <summary>getReserves' outputs.</summary>
[FunctionOutput]
public sealed class ReservesOutput : IFunctionOutputDTO
{
    [Parameter("uint112", "reserve0", 1)] public BigInteger Reserve0 { get; set; }
    [Parameter("uint112", "reserve1", 2)] public BigInteger Reserve1 { get; set; }
    [Parameter("uint32", "blockTimestampLast", 3)] public long BlockTimestampLast { get; set; }
}

/// <summary>Pair.token0() returns (address).</summary>
[Function("token0", "address")]
public sealed class Token0Function : FunctionMessage;

/// <summary>Pair.price0CumulativeLast(): Σ (reserve1 / reserve0 as UQ112x112) × seconds, at the pair's last update.</summary>
[Function("price0CumulativeLast", "uint256")]
public sealed class Price0CumulativeLastFunction : FunctionMessage;

/// <summary>Pair.price1CumulativeLast(): Σ (reserve0 / reserve1 as UQ112x112) × seconds, at the pair's last update.</summary>
[Function("price1CumulativeLast", "uint256")]
public sealed class Price1CumulativeLastFunction : FunctionMessage;

/// <summary>Deploys UniswapV2Factory(feeToSetter).</summary>
public sealed class UniswapV2FactoryDeployment() : ContractDeploymentMessage(string.Empty)
{
    [Parameter("address", "_feeToSetter", 1)] public string FeeToSetter { get; set; } = "";
}

/// <summary>Deploys UniswapV2Router02(factory, WETH).</summary>
public sealed class UniswapV2RouterDeployment() : ContractDeploymentMessage(string.Empty)
{
    [Parameter("address", "_factory", 1)] public string Factory { get; set; } = "";
    [Parameter("address", "_WETH", 2)] public string Weth { get; set; } = "";
}

/// <summary>Deploys WETH9 (no arguments).</summary>
public sealed class Weth9Deployment() : ContractDeploymentMessage(string.Empty);

/// <summary>Pair's Swap(sender, amount0In, amount1In, amount0Out, amount1Out, to) event: one trade through the pair.</summary>
[Event("Swap")]
public sealed class UniswapV2SwapEvent : IEventDTO
{
    [Parameter("address", "sender", 1, true)] public string Sender { get; set; } = "";
    [Parameter("uint256", "amount0In", 2, false)] public BigInteger Amount0In { get; set; }
    [Parameter("uint256", "amount1In", 3, false)] public BigInteger Amount1In { get; set; }
    [Parameter("uint256", "amount0Out", 4, false)] public BigInteger Amount0Out { get; set; }
    [Parameter("uint256", "amount1Out", 5, false)] public BigInteger Amount1Out { get; set; }
    [Parameter("address", "to", 6, true)] public string To { get; set; } = "";
}

#pragma warning restore CS1591

using Microsoft.Extensions.Hosting;
using Predictive.Operator.Hosting;

using var host = OperatorHost.Build(args);
await host.RunAsync().ConfigureAwait(false);

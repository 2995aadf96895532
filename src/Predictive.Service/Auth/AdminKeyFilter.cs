using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Predictive.Service.Api;
using Predictive.Service.Options;
using Predictive.Service.Telemetry;

namespace Predictive.Service.Auth;

/// <summary>
/// Guards admin endpoints with the configured key, sent as <c>Authorization: Bearer &lt;key&gt;</c> or
/// <c>X-Api-Key: &lt;key&gt;</c>. No credentials: 401. Wrong key, or no key configured (admin disabled): 403.
/// </summary>
internal sealed class AdminKeyFilter(IOptions<ServiceOptions> options, ServiceMetrics metrics, ILogger<AdminKeyFilter> logger) : IEndpointFilter
{
    public const string ApiKeyHeader = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var presented = Presented(http.Request);
        var expected = options.Value.AdminApiKey;
        if (presented is null)
        {
            metrics.RecordError(ErrorKinds.Unauthorized);
            Log.AdminRejected(logger, http.Request.Path, "no credentials");
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Status(StatusCodes.Status401Unauthorized, "Credentials required", $"Send the admin key as 'Authorization: Bearer <key>' or '{ApiKeyHeader}: <key>'.");
        }

        if (string.IsNullOrEmpty(expected))
        {
            metrics.RecordError(ErrorKinds.Forbidden);
            Log.AdminRejected(logger, http.Request.Path, "admin disabled");
            return Problems.Status(StatusCodes.Status403Forbidden, "Admin endpoints are disabled", $"Set {ServiceOptions.Section}:{nameof(ServiceOptions.AdminApiKey)} to enable them.");
        }

        if (!FixedTimeEquals(presented, expected))
        {
            metrics.RecordError(ErrorKinds.Forbidden);
            Log.AdminRejected(logger, http.Request.Path, "wrong key");
            return Problems.Status(StatusCodes.Status403Forbidden, "Forbidden", "The admin key is not valid.");
        }

        return await next(context);
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var key = request.Headers[ApiKeyHeader].ToString();
        return key.Length > 0 ? key : null;
    }

    // Hashing first gives equal lengths, so the comparison time says nothing about the key.
    private static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

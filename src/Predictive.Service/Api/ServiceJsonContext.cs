using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Predictive.Service.Dashboard.Alerts;
using Predictive.Service.Dashboard.Comparisons;
using Predictive.Service.Dashboard.Governance;
using Predictive.Service.Dashboard.Jobs;
using Predictive.Service.Dashboard.Models;

namespace Predictive.Service.Api;

/// <summary>
/// Source-generated JSON for the API: camelCase names, and unknown properties rejected so that a misspelt field
/// (<c>currentWeight</c>) is a 400 naming it rather than silently ignored.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(TargetsRequest))]
[JsonSerializable(typeof(TargetsResponse))]
[JsonSerializable(typeof(ModelsResponse))]
[JsonSerializable(typeof(ActivationResponse))]
[JsonSerializable(typeof(ModelCard))]
[JsonSerializable(typeof(ComparisonList))]
[JsonSerializable(typeof(ComparisonResults))]
[JsonSerializable(typeof(AlertsResponse))]
[JsonSerializable(typeof(JobsResponse))]
[JsonSerializable(typeof(Predictive.Service.Dashboard.Vaults.VaultsResponse))]
[JsonSerializable(typeof(GovernanceResponse))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.ML;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Persistence;
using TorchSharp;
using Microsoft.ML.AdGan.Estimators;

namespace AdGan.Service;

/// <summary>
/// The segmentation service: loads a model zip once, then serves <c>POST /segment</c> (PNG or TIFF body, 8 or 16-bit;
/// answers a 16-bit PNG label map or, with <c>?format=json</c> or <c>Accept: application/json</c>, object counts, areas and
/// centroids) and <c>GET /health</c>. Errors are ProblemDetails JSON with the reason.
/// </summary>
public static class ServiceApp
{
    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--model"] = $"{ServiceOptions.SectionName}:{nameof(ServiceOptions.ModelPath)}",
        ["--max-body"] = $"{ServiceOptions.SectionName}:{nameof(ServiceOptions.MaxRequestBodyBytes)}",
        ["--max-concurrency"] = $"{ServiceOptions.SectionName}:{nameof(ServiceOptions.MaxConcurrentSegmentations)}",
        ["--torch-threads"] = $"{ServiceOptions.SectionName}:{nameof(ServiceOptions.TorchThreads)}",
    };

    /// <summary>Builds the service for a model zip listening on <paramref name="urls"/> (use http://127.0.0.1:0 for a free port).</summary>
    public static WebApplication Build(string modelPath, params string[] urls)
        => Build(new ServiceOptions { ModelPath = modelPath, Urls = urls.ToList() });

    /// <summary>Builds the service from explicit options; <paramref name="args"/> may add ASP.NET settings (logging, ...).</summary>
    public static WebApplication Build(ServiceOptions options, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Create(args ?? Array.Empty<string>(), options);
    }

    /// <summary>
    /// Builds the service from configuration: appsettings.json, environment and the command line, where
    /// <c>--model</c>, <c>--max-body</c>, <c>--max-concurrency</c> and <c>--torch-threads</c> set the "Segmentation" section.
    /// </summary>
    public static WebApplication BuildFromArgs(string[] args) => Create(args ?? Array.Empty<string>(), null);

    private static WebApplication Create(string[] args, ServiceOptions? explicitOptions)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddCommandLine(args, Switches);
        var options = explicitOptions ?? builder.Configuration.GetSection(ServiceOptions.SectionName).Get<ServiceOptions>() ?? new ServiceOptions();
        options.Validate();
        if (options.Urls.Count > 0)
            builder.WebHost.UseUrls(options.Urls.ToArray());
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(j => j.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

        if (options.TorchThreads is { } threads)
            torch.set_num_threads(threads);
        // Loaded once: every request shares these weights (the model is immutable and thread-safe).
        var model = AdGanModelFile.LoadModel(new MLContext(), options.ModelPath);
        var segmenter = new Segmenter(model);
        var gate = new SemaphoreSlim(options.MaxConcurrentSegmentations, options.MaxConcurrentSegmentations);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(segmenter);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/health", () => Results.Ok(new
        {
            Status = "ok",
            ModelId = model.Id,
            model.Settings.BaseChannels,
            model.Settings.Dimensions,
            Coding = model.Settings.Coding.ToString(),
            model.Settings.ImageScale,
            model.Settings.Tiling.TileSize,
            options.MaxRequestBodyBytes,
            options.MaxConcurrentSegmentations,
        }));
        app.MapPost("/segment", (Func<HttpContext, Task<IResult>>)(context => SegmentAsync(context, segmenter, gate, options)));
        return app;
    }

    /// <summary>The address a started app listens on (with the port Kestrel picked for port 0).</summary>
    public static Uri Address(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>();
        string? first = addresses?.Addresses.FirstOrDefault() ?? app.Urls.FirstOrDefault();
        return first is null ? throw new InvalidOperationException("The service is not listening; call StartAsync first.") : new Uri(first);
    }

    private static async Task<IResult> SegmentAsync(HttpContext context, Segmenter segmenter, SemaphoreSlim gate, ServiceOptions options)
    {
        var abort = context.RequestAborted;
        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request, abort);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"The body exceeds the {options.MaxRequestBodyBytes:N0}-byte limit (Segmentation:MaxRequestBodyBytes).");
        }

        if (body.Length == 0)
            return Problem(StatusCodes.Status400BadRequest, "Empty request body", "POST /segment needs a PNG or TIFF image as the request body.");
        if (!LooksLikePngOrTiff(body))
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported image format", "The body is neither a PNG nor a TIFF image (no PNG or TIFF signature).");

        ImageBuffer<float> image;
        try
        {
            image = segmenter.Read(body, "request body");
        }
        catch (MicroscopyImageException e)
        {
            return Problem(StatusCodes.Status400BadRequest, "Undecodable image", e.Message);
        }

        if (image.Shape.Dimensions != segmenter.Model.Settings.Dimensions)
            return Problem(StatusCodes.Status400BadRequest, "Wrong image dimensionality",
                $"The model segments {segmenter.Model.Settings.Dimensions}D images but the body is {image.Shape.Dimensions}D ({image.Shape}).");

        ImageBuffer<uint> labels;
        await gate.WaitAsync(abort);
        try
        {
            labels = segmenter.Segment(image);
        }
        finally
        {
            gate.Release();
        }

        if (WantsJson(context.Request))
            return Results.Json(LabelSummary.Of(labels));
        try
        {
            using var png = new MemoryStream();
            MicroscopyImageWriter.WriteLabelsPng(png, labels, "label map");
            return Results.File(png.ToArray(), "image/png");
        }
        catch (MicroscopyImageException e)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, "Label map does not fit a PNG", e.Reason + " Ask for JSON (?format=json) instead.");
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellation)
    {
        // Kestrel enforces MaxRequestBodySize while reading (and up front for a too large Content-Length).
        using var buffer = request.ContentLength is > 0 and <= int.MaxValue ? new MemoryStream((int)request.ContentLength.Value) : new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellation);
        return buffer.ToArray();
    }

    private static bool LooksLikePngOrTiff(byte[] b)
    {
        ReadOnlySpan<byte> png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        return b.AsSpan().StartsWith(png)
            || (b.Length >= 4 && b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0)
            || (b.Length >= 4 && b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42);
    }

    private static bool WantsJson(HttpRequest request)
    {
        string? format = request.Query["format"];
        if (!string.IsNullOrEmpty(format))
            return string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);
        var accept = request.GetTypedHeaders().Accept;
        var json = accept.Where(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var png = accept.Where(a => a.MediaType.Equals("image/png", StringComparison.OrdinalIgnoreCase) || a.MediaType.Equals("image/*", StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        return json > 0 && json > png;
    }

    private static IResult Problem(int status, string title, string detail) => Results.Problem(detail: detail, statusCode: status, title: title);
}

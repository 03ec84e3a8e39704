using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.ML.AdGan.Imaging;
using Microsoft.ML.AdGan.Inference;

namespace AdGan.Service;

/// <summary>
/// The segmentation service: loads a model once (a model zip on TorchSharp, or an exported ONNX graph on ONNX Runtime), then
/// serves <c>POST /segment</c> (a PNG, TIFF or JPEG body, recognised by its bytes; answers a 16-bit PNG label map or, with
/// <c>?format=json</c> or <c>Accept: application/json</c>, object counts, areas and centroids), <c>GET /health</c> (alive) and
/// <c>GET /ready</c> (model loaded, room in the queue, not shutting down). Errors are ProblemDetails JSON with the reason.
/// </summary>
/// <remarks>
/// A request is admitted only while the segmentation slots and the wait queue have room (else 503 with Retry-After); its body
/// is read, then decoded inside a slot, after the image header's size has been checked against the pixel budget. The time
/// limit, the client's disconnect and the end of the drain after SIGTERM cancel the request's work, which stops between
/// tiles and between labelling phases: within one tile's compute on TorchSharp, within one graph node on ONNX Runtime.
/// </remarks>
public static class ServiceApp
{
    private const string BodyName = "the request body";

    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--model"] = Key(nameof(ServiceOptions.ModelPath)),
        ["--runtime"] = Key(nameof(ServiceOptions.Runtime)),
        ["--max-body"] = Key(nameof(ServiceOptions.MaxRequestBodyBytes)),
        ["--max-pixels"] = Key(nameof(ServiceOptions.MaxPixels)),
        ["--max-concurrency"] = Key(nameof(ServiceOptions.MaxConcurrentSegmentations)),
        ["--max-queue"] = Key(nameof(ServiceOptions.MaxQueuedRequests)),
        ["--timeout"] = Key(nameof(ServiceOptions.RequestTimeoutSeconds)),
        ["--drain"] = Key(nameof(ServiceOptions.DrainSeconds)),
        ["--torch-threads"] = Key(nameof(ServiceOptions.TorchThreads)),
        ["--onnx-threads"] = Key(nameof(ServiceOptions.OnnxThreads)),
        ["--network"] = Key(nameof(ServiceOptions.Network)),
    };

    /// <summary>Builds the service for a model zip listening on <paramref name="urls"/> (use http://127.0.0.1:0 for a free port).</summary>
    public static WebApplication Build(string modelPath, params string[] urls)
        => Build(new ServiceOptions { ModelPath = modelPath, Urls = urls.ToList() });

    /// <summary>
    /// Builds the service from explicit options; <paramref name="args"/> may add ASP.NET settings (logging, ...) and
    /// <paramref name="configure"/> may change the builder (e.g. a test server).
    /// </summary>
    public static WebApplication Build(ServiceOptions options, string[]? args = null, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Create(args ?? Array.Empty<string>(), options, configure);
    }

    /// <summary>
    /// Builds the service from configuration: appsettings.json, environment and the command line, where <c>--model</c>,
    /// <c>--runtime</c> (torch or onnx), <c>--max-body</c>, <c>--max-pixels</c>, <c>--max-concurrency</c>, <c>--max-queue</c>,
    /// <c>--timeout</c>, <c>--drain</c>, <c>--torch-threads</c> and <c>--onnx-threads</c> set the "Segmentation" section.
    /// </summary>
    public static WebApplication BuildFromArgs(string[] args) => Create(args ?? Array.Empty<string>(), null, null);

    private static string Key(string property) => $"{ServiceOptions.SectionName}:{property}";

    private static WebApplication Create(string[] args, ServiceOptions? explicitOptions, Action<WebApplicationBuilder>? configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddCommandLine(args, Switches);
        var options = explicitOptions ?? BindOptions(builder.Configuration);
        options.Validate();
        if (options.Urls.Count > 0)
            builder.WebHost.UseUrls(options.Urls.ToArray());
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        // Running segmentations get DrainSeconds after SIGTERM, then stop within a tile; the host waits a little longer.
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(options.DrainSeconds + 5));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(j => j.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        configure?.Invoke(builder);

        // Loaded once: every request shares these weights (the pipeline is immutable and thread-safe).
        var segmenter = Segmenter.Load(options);
        var admission = new SegmentationAdmission(options.MaxConcurrentSegmentations, options.QueueLength);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(segmenter);
        builder.Services.AddSingleton(admission);

        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AdGan.Service");
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            log.LogInformation("Shutting down: {Running} running, {Waiting} waiting; running segmentations stop after {Drain} s.",
                admission.Running, admission.Admitted - admission.Running, options.DrainSeconds);
            admission.BeginDrain(TimeSpan.FromSeconds(options.DrainSeconds));
        });
        admission.Stopping.Register(() => log.LogInformation("Drain time over: stopping {Running} running segmentations.", admission.Running));
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/health", () => Results.Ok(new
        {
            Status = "ok",
            segmenter.ModelId,
            Runtime = segmenter.Runtime.ToString().ToLowerInvariant(),
            Network = segmenter.Settings.Network.ToString(),
            segmenter.Settings.BaseChannels,
            segmenter.Settings.Dimensions,
            Coding = segmenter.Settings.Coding.ToString(),
            segmenter.Settings.ImageScale,
            segmenter.Settings.Tiling.TileSize,
            InstanceStatistics = segmenter.Settings.Tiling.Statistics.ToString().ToLowerInvariant(),
            options.MaxRequestBodyBytes,
            options.MaxPixels,
            options.MaxConcurrentSegmentations,
            MaxQueuedRequests = options.QueueLength,
            options.RequestTimeoutSeconds,
            options.DrainSeconds,
        }));
        app.MapGet("/ready", (Func<HttpContext, IResult>)(context => Ready(context, admission, options)));
        app.MapPost("/segment", (Func<HttpContext, Task<IResult>>)(context => SegmentAsync(context, segmenter, admission, options, log)));
        return app;
    }

    private static ServiceOptions BindOptions(IConfiguration configuration)
    {
        var section = configuration.GetSection(ServiceOptions.SectionName);
        string? runtime = section[nameof(ServiceOptions.Runtime)];
        if (runtime is not null && !Enum.TryParse<ServiceRuntime>(runtime, ignoreCase: true, out _))
            throw new ArgumentException($"--runtime '{runtime}' is not a runtime; use torch (a model zip) or onnx (an exported .onnx graph).");
        try
        {
            return section.Get<ServiceOptions>() ?? new ServiceOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"A service setting has a value of the wrong type: {(e.InnerException ?? e).Message}", e);
        }
    }

    /// <summary>The address a started app listens on (with the port Kestrel picked for port 0).</summary>
    public static Uri Address(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>();
        string? first = addresses?.Addresses.FirstOrDefault() ?? app.Urls.FirstOrDefault();
        return first is null ? throw new InvalidOperationException("The service is not listening; call StartAsync first.") : new Uri(first);
    }

    private static IResult Ready(HttpContext context, SegmentationAdmission admission, ServiceOptions options)
    {
        string status = admission.Draining ? "draining" : admission.HasRoom ? "ready" : "full";
        var body = new { Status = status, admission.Running, Waiting = admission.Admitted - admission.Running, admission.Slots, admission.Queue };
        if (status == "ready")
            return Results.Ok(body);
        context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> SegmentAsync(HttpContext context, Segmenter segmenter, SegmentationAdmission admission, ServiceOptions options, ILogger log)
    {
        if (!TryReadFormat(context.Request, out bool json, out var badFormat))
            return badFormat;
        using var ticket = admission.TryAdmit();
        if (ticket is null)
            return Busy(context, options, admission.Draining
                ? "The service is shutting down."
                : $"All {admission.Slots} segmentation slots and the {admission.Queue} places of the queue are taken.");

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, admission.Stopping);
        limit.CancelAfter(TimeSpan.FromSeconds(options.RequestTimeoutSeconds));
        bool running = false;
        try
        {
            var body = await ReadBodyAsync(context.Request, options.MaxRequestBodyBytes, limit.Token);
            if (body is null)
                return TooLarge(options);
            if (body.Length == 0)
                return Problem(StatusCodes.Status400BadRequest, "Empty request body", "POST /segment needs a PNG, TIFF or JPEG image as the request body.");
            if (!IsKnownImage(body))
                return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported image format",
                    "The body is not a PNG, TIFF or JPEG image (none of their signatures); the Content-Type header is not used.");

            await ticket.WaitForSlotAsync(limit.Token);
            running = true;
            ImageBuffer<float> image;
            try
            {
                image = segmenter.Read(body, BodyName, options.MaxPixels);
            }
            catch (MicroscopyImageException e) when (e.ExceedsPixelBudget)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, "Image over the pixel budget",
                    $"{e.Reason} The service's budget is {options.MaxPixels:N0} pixels at the model's working scale (Segmentation:MaxPixels, --max-pixels).");
            }
            catch (MicroscopyImageException e)
            {
                return Problem(StatusCodes.Status400BadRequest, "Undecodable image", e.Message);
            }

            if (Refuse(image, segmenter.Settings) is { } refused)
                return refused;
            var labels = segmenter.Segment(image, BodyName, limit.Token);
            if (json)
                return Results.Json(LabelSummary.Of(labels));
            using var png = new MemoryStream();
            MicroscopyImageWriter.WriteLabelsPng(png, labels, "label map");
            return Results.File(png.ToArray(), "image/png");
        }
        catch (SegmentationException e)
        {
            return Problem(StatusCodes.Status400BadRequest, "Image cannot be segmented", e.Message);
        }
        catch (MicroscopyImageException e)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, "Label map does not fit a PNG", e.Reason + " Ask for JSON (?format=json) instead.");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(options);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            log.LogInformation("Request {Id} stopped: the client disconnected{While}.", context.TraceIdentifier, running ? " while it was segmented" : "");
            return Results.Empty; // the client is gone: nobody reads an answer
        }
        catch (OperationCanceledException) when (admission.Draining)
        {
            log.LogInformation("Request {Id} stopped: shutting down{While}.", context.TraceIdentifier, running ? " while it was segmented" : "");
            return Busy(context, options, running
                ? $"The service is shutting down; the segmentation was stopped after the {options.DrainSeconds:0.#} s drain time."
                : "The service is shutting down.");
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            log.LogInformation("Request {Id} stopped: time limit of {Limit} s.", context.TraceIdentifier, options.RequestTimeoutSeconds);
            string where = running ? "while it was segmented; send a smaller image or raise the limit." : "while it waited for a segmentation slot.";
            return Problem(StatusCodes.Status503ServiceUnavailable, "Time limit exceeded", string.Create(CultureInfo.InvariantCulture,
                $"The request took longer than the {options.RequestTimeoutSeconds:0.#} s limit (Segmentation:RequestTimeoutSeconds, --timeout) {where}"));
        }
    }

    /// <summary>400 for images the service will not segment: the wrong dimensionality or smaller than <see cref="ServiceOptions.MinimumImageSide"/>.</summary>
    private static IResult? Refuse(ImageBuffer<float> image, AdGanInferenceSettings settings)
    {
        var shape = image.Shape;
        if (shape.Dimensions != settings.Dimensions)
            return Problem(StatusCodes.Status400BadRequest, "Wrong image dimensionality",
                $"The model segments {settings.Dimensions}D images but the body is {shape.Dimensions}D ({shape}).");
        int m = ServiceOptions.MinimumImageSide;
        if (shape.Width < m || shape.Height < m || (shape.Is3D && shape.Depth < m))
            return Problem(StatusCodes.Status400BadRequest, "Image too small",
                $"The body is {shape}; the service segments images of at least {m} x {m} pixels{(shape.Is3D ? $" and {m} slices" : "")}.");
        return null;
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> (checked while reading, whatever Content-Length says).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellation)
    {
        if (request.ContentLength > limit)
            return null;
        using var buffer = request.ContentLength is > 0 and <= int.MaxValue ? new MemoryStream((int)request.ContentLength.Value) : new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > limit)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>PNG, TIFF (either byte order, classic or BigTIFF) or JPEG, by the body's first bytes.</summary>
    private static bool IsKnownImage(byte[] b)
    {
        ReadOnlySpan<byte> png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        return b.AsSpan().StartsWith(png)
            || (b.Length >= 4 && b[0] == 'I' && b[1] == 'I' && b[2] is 42 or 43 && b[3] == 0)
            || (b.Length >= 4 && b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] is 42 or 43)
            || (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF);
    }

    /// <summary>JSON or PNG from <c>?format=</c> (json or png; anything else is 400) or else from the Accept header.</summary>
    private static bool TryReadFormat(HttpRequest request, out bool json, out IResult problem)
    {
        problem = Results.Empty;
        string? format = request.Query["format"];
        if (!string.IsNullOrEmpty(format))
        {
            json = string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);
            if (json || string.Equals(format, "png", StringComparison.OrdinalIgnoreCase))
                return true;
            problem = Problem(StatusCodes.Status400BadRequest, "Unknown format", $"format '{format}' is not an answer format; use format=png (the label map, default) or format=json (a summary).");
            return false;
        }

        var accept = request.GetTypedHeaders().Accept;
        var jsonQuality = accept.Where(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var pngQuality = accept.Where(a => a.MediaType.Equals("image/png", StringComparison.OrdinalIgnoreCase) || a.MediaType.Equals("image/*", StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        json = jsonQuality > 0 && jsonQuality > pngQuality;
        return true;
    }

    private static IResult Busy(HttpContext context, ServiceOptions options, string detail)
    {
        context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status503ServiceUnavailable, "Service busy", $"{detail} Retry after {options.RetryAfterSeconds} s.");
    }

    private static IResult TooLarge(ServiceOptions options) => Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large",
        $"The body exceeds the {options.MaxRequestBodyBytes:N0}-byte limit (Segmentation:MaxRequestBodyBytes, --max-body).");

    private static IResult Problem(int status, string title, string detail) => Results.Problem(detail: detail, statusCode: status, title: title);
}

using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using AdGan.Cli.Commands;
using Microsoft.ML.AdGan.Networks;
using Microsoft.ML.AdGan.Tests.Training;
using Microsoft.ML.AdGan.Training;

namespace Microsoft.ML.AdGan.Tests.Cli;

/// <summary>`adgan train` refuses what cannot work before the first iteration and keeps finished work when it is stopped.</summary>
[TestClass]
public sealed class TrainingFaultTests
{
    private static (TrainingArguments Arguments, System.CommandLine.Command Command) Train()
    {
        var arguments = new TrainingArguments();
        var command = new System.CommandLine.Command("train");
        foreach (var option in arguments.All)
            command.Options.Add(option);
        return (arguments, command);
    }

    private static string ValidationMessage(params string[] args)
    {
        var (arguments, command) = Train();
        return Assert.ThrowsExactly<ArgumentException>(() => TrainingArguments.Validate(arguments.Build(command.Parse(args)))).Message;
    }

    [TestMethod]
    public void MessagesNameTheFlagNotTheProperty()
    {
        foreach (var (args, flag, property) in new[]
        {
            (new[] { "--crop", "0" }, "--crop", "CropSize"),
            (new[] { "--crop", "30" }, "--crop", "CropSize"),
            (new[] { "--scale", "0" }, "--scale", "ImageScale"),
            (new[] { "--batch", "0" }, "--batch", "BatchSize"),
            (new[] { "--ngf", "0" }, "--ngf", "BaseChannels"),
            (new[] { "--ema", "1.5" }, "--ema", "GeneratorAverageDecay"),
        })
        {
            string message = ValidationMessage(args);
            StringAssert.Contains(message, flag, string.Join(' ', args));
            Assert.DoesNotContain(property, message, string.Join(' ', args));
        }

        var (arguments, command) = Train();
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => arguments.Build(command.Parse(new[] { "--iterations", "0" }))).Message, "--iterations");
        var parsed = command.Parse(new[] { "--iterations", "99999999999" });
        var error = parsed.Errors.Single().Message;
        StringAssert.Contains(error, "--iterations");
        Assert.DoesNotContain("System.", error);
        Assert.AreEqual(int.MaxValue / 2, arguments.Build(command.Parse(new[] { "--iterations", int.MaxValue.ToString() })).DecayIterations);
    }

    [TestMethod]
    public void SettingsThatCannotFitInMemoryAreRefusedWithAnEstimate()
    {
        var cpu = new AdGanTrainerOptions();
        var footprint = AdGanTrainingFootprint.Estimate(cpu);
        Assert.IsLessThan(2e9, footprint.PeakMemoryBytes, "the cpu preset fits a small machine");
        TrainingChecks.Memory(cpu, footprint, availableBytes: 4e9);

        foreach (var (configure, flag) in new (Action<AdGanTrainerOptions>, string)[] { (o => o.BaseChannels = 100000, "--ngf 100000"), (o => o.BatchSize = 100000, "--batch 100000") })
        {
            var options = new AdGanTrainerOptions();
            configure(options);
            var e = Assert.ThrowsExactly<ArgumentException>(() => TrainingChecks.Memory(options, AdGanTrainingFootprint.Estimate(options), 64e9));
            StringAssert.Contains(e.Message, flag);
            StringAssert.Contains(e.Message, "needs an estimated");
        }

        // The estimate grows with every setting that sizes the activations.
        double Peak(Action<AdGanTrainerOptions> change)
        {
            var o = new AdGanTrainerOptions();
            change(o);
            return AdGanTrainingFootprint.Estimate(o).PeakMemoryBytes;
        }

        Assert.IsGreaterThan(footprint.PeakMemoryBytes, Peak(o => o.CropSize = 128));
        Assert.IsGreaterThan(footprint.PeakMemoryBytes, Peak(o => o.BatchSize = 8));
        Assert.IsGreaterThan(footprint.PeakMemoryBytes, Peak(o => o.BaseChannels = 32));
    }

    [TestMethod]
    public void TheParameterCountsOfTheEstimateAreTheNetworks()
    {
        foreach (int dimensions in new[] { 2, 3 })
        {
            var options = new AdGanTrainerOptions { BaseChannels = 4, Dimensions = dimensions, StyleMlpWidth = 8 };
            using var networks = new AdGanNetworks(options.NetworkOptions());
            long Count(TorchSharp.torch.nn.Module m) => m.parameters().Sum(p => p.numel());
            var footprint = AdGanTrainingFootprint.Estimate(options);
            long generator = Count(networks.Encoder) + Count(networks.Decoder);
            Assert.AreEqual(generator, footprint.GeneratorParameters, 0.05 * generator, $"{dimensions}D generator");
            long discriminator = Count(networks.Discriminator);
            Assert.AreEqual(discriminator, footprint.DiscriminatorParameters, 0.05 * discriminator, $"{dimensions}D discriminator");
        }
    }

    [TestMethod]
    public void TheOutputIsCheckedBeforeTraining()
    {
        using var temp = new TempFolder();
        var footprint = AdGanTrainingFootprint.Estimate(TinyTraining.Options<AdGanTrainerOptions>());
        Directory.CreateDirectory(temp.File("model.zip"));
        StringAssert.Contains(Assert.ThrowsExactly<IOException>(() => TrainingChecks.Output(temp.File("model.zip"), temp.File("c"), footprint)).Message, "is a folder");

        File.WriteAllText(temp.File("file"), "a file where a folder must go");
        string underFile = Path.Combine(temp.File("file"), "model.zip");
        StringAssert.Contains(Assert.ThrowsExactly<IOException>(() => TrainingChecks.Output(underFile, temp.File("c"), footprint)).Message, "--out");

        string fine = Path.Combine(temp.File("new"), "sub", "model.zip");
        StringAssert.Contains(Assert.ThrowsExactly<IOException>(() => TrainingChecks.Output(fine, temp.File("c"), footprint, _ => 1000)).Message, "free");
        TrainingChecks.Output(fine, temp.File("c"), footprint, _ => long.MaxValue);
        Assert.IsTrue(Directory.Exists(temp.File("new/sub")) && Directory.Exists(temp.File("c")), "the folders are created");
        Assert.IsEmpty(Directory.GetFileSystemEntries(temp.File("new/sub")), "the write check leaves nothing behind");
    }

    [TestMethod]
    public void ResumingWithOptionsThatChangeTensorShapesIsRefusedNamingThem()
    {
        using var temp = new TempFolder();
        var options = TinyTraining.Options<AdGanTrainerOptions>(1, 0);
        string checkpoint = temp.File("c.adgan");
        using (var trainer = new AdGanTrainer(options, TinyTraining.Source(options)))
            trainer.SaveCheckpoint(checkpoint);

        var crop = TinyTraining.Options<AdGanTrainerOptions>(1, 0);
        crop.CropSize = 32;
        crop.BaseChannels = 4;
        var e = Assert.ThrowsExactly<ArgumentException>(() => TrainingChecks.Resume(checkpoint, crop));
        StringAssert.Contains(e.Message, "--crop 24 there, 32 now");
        StringAssert.Contains(e.Message, "--ngf 2 there, 4 now");
        crop.ResumeFrom = checkpoint;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new AdGanTrainer(crop, TinyTraining.Source(crop)), "the library refuses it too").Message, "CropSize 32 (checkpoint: 24)");

        var batch = TinyTraining.Options<AdGanTrainerOptions>(1, 0);
        batch.BatchSize = 1;
        TrainingChecks.Resume(checkpoint, batch);
    }

    [TestMethod]
    public void CheckpointsComeByIterationAndByTime()
    {
        var schedule = new CheckpointSchedule(everyIterations: 500, everyMinutes: 10, start: TimeSpan.Zero);
        Assert.IsFalse(schedule.IsDue(1, TimeSpan.FromMinutes(9)));
        Assert.IsTrue(schedule.IsDue(500, TimeSpan.FromMinutes(1)), "every 500 iterations");
        Assert.IsTrue(schedule.IsDue(7, TimeSpan.FromMinutes(10)), "10 minutes after the start");
        schedule.Written(TimeSpan.FromMinutes(10));
        Assert.IsFalse(schedule.IsDue(8, TimeSpan.FromMinutes(19)));
        Assert.IsTrue(schedule.IsDue(9, TimeSpan.FromMinutes(20)), "10 minutes after the last checkpoint");
        var byIteration = new CheckpointSchedule(500, null, TimeSpan.Zero);
        Assert.IsFalse(byIteration.IsDue(7, TimeSpan.FromHours(5)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdGanTrainerOptions { CheckpointMinutes = 0 }.Validate());
    }

    [TestMethod]
    public void TheFirstSignalStopsTrainingAndTheSecondIsLeftToTheSystem()
    {
        using var stop = new TrainingStop();
        Assert.IsFalse(stop.Token.IsCancellationRequested);
        Assert.IsTrue(stop.Request(PosixSignal.SIGTERM), "the first signal is handled");
        Assert.IsTrue(stop.Token.IsCancellationRequested);
        Assert.AreEqual(143, stop.ExitCode);
        Assert.IsFalse(stop.Request(PosixSignal.SIGINT), "a second one keeps its default action");
        Assert.AreEqual(PosixSignal.SIGTERM, stop.Signal);
        using var hangup = new TrainingStop();
        hangup.Request(PosixSignal.SIGHUP);
        Assert.AreEqual(129, hangup.ExitCode);
    }

    [TestMethod]
    public void SigtermToARunningTrainingWritesACheckpointOfTheLastIteration()
    {
        if (OperatingSystem.IsWindows())
            Assert.Inconclusive("SIGTERM is a POSIX signal.");
        using var temp = new TempFolder();
        string images = temp.File("images");
        Directory.CreateDirectory(images);
        foreach (var (sim, i) in TinyTraining.Images(2, 48).Select((s, i) => (s, i)))
            SynthesisImageFiles.Write(Path.Combine(images, $"cells{i}"), sim.Image, 8);
        string cli = Path.Combine(AppContext.BaseDirectory, "adgan.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { cli, "train", "--images", images, "--out", temp.File("model.zip"), "--iterations", "100000", "--crop", "24", "--ngf", "2",
            "--batch", "1", "--threads", "1", "--priors", "given", "--radius", "3,6" })
            start.ArgumentList.Add(a);
        var output = new System.Text.StringBuilder();
        var progressed = new TaskCompletionSource();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
                output.AppendLine(e.Data);
            if (e.Data?.Contains("10/100000", StringComparison.Ordinal) == true)
                progressed.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
                output.AppendLine(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string Output()
        {
            lock (output)
                return output.ToString();
        }

        try
        {
            // Wait for the first progress line (10 iterations done), then ask the process to stop as a scheduler would.
            // The waits are deadlines against a hang, not timings.
            Assert.IsTrue(progressed.Task.Wait(TimeSpan.FromMinutes(4)), "training reported progress: " + Output());
            using (var kill = Process.Start("kill", new[] { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
                kill.WaitForExit();
            Assert.IsTrue(process.WaitForExit(TimeSpan.FromMinutes(4)), "training stops after the iteration under way: " + Output());
            process.WaitForExit();
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }

        Assert.AreEqual(143, process.ExitCode, Output());
        StringAssert.Contains(Output(), "Stopped by SIGTERM");
        string checkpoint = temp.File("model.checkpoints/checkpoint.adgan");
        Assert.IsTrue(File.Exists(checkpoint), Output());
        Assert.IsGreaterThanOrEqualTo(10, AdGanTrainer.CheckpointIteration(checkpoint));
    }
}

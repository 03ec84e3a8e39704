using System.CommandLine;
using AdGan.Cli.Commands;

var root = new RootCommand("AD-GAN: unsupervised nuclei segmentation for fluorescence microscopy.");
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);
return root.Parse(args).Invoke();

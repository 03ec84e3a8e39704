namespace Microsoft.ML.AdGan.Inference;

/// <summary>Which of a model's networks the segmentation pipeline runs (<see cref="AdGanInferenceSettings.Network"/>).</summary>
public enum SegmentationNetwork
{
    /// <summary>The AD-GAN generator: the image-to-mask translation tanh(G(E(x, image style), mask style)).</summary>
    Generator = 0,

    /// <summary>The student network trained after AD-GAN on the generator's translations (<see cref="AdGanSegmentationModel.Student"/>); the model must carry one.</summary>
    Student = 1,
}

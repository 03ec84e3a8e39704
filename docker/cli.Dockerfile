# The adgan command-line tool (CPU). Build from the repository root:
#   docker build -f docker/cli.Dockerfile -t adgan-cli .
# Run on a mounted collection, e.g.:
#   docker run --rm -v "$PWD/data:/data" adgan-cli segment --model /data/model.zip --images /data/images --out /data/labels
# CUDA: see docs/scale-out.md (build with TORCH_BACKEND=cuda-linux and a CUDA base image).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-noble
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime:10.0-noble

FROM ${SDK_IMAGE} AS build
ARG TORCH_BACKEND=cpu
ARG ONNX_BACKEND=cpu
WORKDIR /src
COPY . .
# The libLibTorchSharp fix is applied unconditionally: the image's libstdc++, not the build machine's, decides at run time.
RUN dotnet publish src/AdGan.Cli/AdGan.Cli.csproj -c Release -r linux-x64 --no-self-contained -o /app \
      -p:TorchSharpBackend=${TORCH_BACKEND} -p:OnnxRuntimeBackend=${ONNX_BACKEND} -p:AdGanPatchLibTorchSharpAlways=true

FROM ${RUNTIME_IMAGE}
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
ENTRYPOINT ["dotnet", "/app/adgan.dll"]
CMD ["--help"]

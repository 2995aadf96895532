using Predictive.Service.Hosting;

namespace Predictive.Service.Tests.Hosting;

[TestClass]
public sealed class ModelsDirectoryResolverTests
{
    [TestMethod]
    public void Resolve_RelativeFromNestedStart_FindsAncestorFolder()
    {
        var root = Directory.CreateTempSubdirectory("resolver-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "models"));
            var nested = Directory.CreateDirectory(Path.Combine(root, "src", "Predictive.Service", "bin")).FullName;

            Assert.AreEqual(Path.Combine(root, "models"), ModelsDirectoryResolver.Resolve("models", nested));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void Resolve_NothingFound_FallsBackUnderFirstStart()
    {
        var root = Directory.CreateTempSubdirectory("resolver-").FullName;
        try
        {
            Assert.AreEqual(Path.Combine(root, "no-such-models-dir-x1"), ModelsDirectoryResolver.Resolve("no-such-models-dir-x1", root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void Resolve_Absolute_IsKept()
    {
        var path = Path.Combine(Path.GetTempPath(), "abs-models");

        Assert.AreEqual(path, ModelsDirectoryResolver.Resolve(path, "/"));
    }
}

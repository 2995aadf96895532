using Predictive.Onnx.Registry;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Storage;

[TestClass]
public sealed class ActiveModelFileTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [TestMethod]
    public void Activate_SameModelTwice_RecordedOnce()
    {
        using var folder = new TempFolder();
        ActiveModelFile.Activate(folder.Path, new ActiveModelEntry("a/1", "aa", At, "admin-api"));
        var record = ActiveModelFile.Activate(folder.Path, new ActiveModelEntry("a/1", "aa", At.AddHours(1), "cli"));
        Assert.AreEqual(1, record.History.Count);
        Assert.AreEqual("admin-api", ActiveModelFile.Read(folder.Path)!.Active.By);
    }

    [TestMethod]
    public void Rollback_AfterTwoActivations_PreviousModelActiveAgain()
    {
        using var folder = new TempFolder();
        ActiveModelFile.Activate(folder.Path, new ActiveModelEntry("a/1", "aa", At, "cli"));
        ActiveModelFile.Activate(folder.Path, new ActiveModelEntry("a/2", "bb", At.AddDays(1), "operator"));
        var record = ActiveModelFile.Rollback(folder.Path, "cli", At.AddDays(2));
        Assert.AreEqual("a/1", record.Active.Key);
        Assert.AreEqual("aa", record.Active.Sha256);
        Assert.AreEqual(1, record.History.Count);
        Assert.AreEqual("a/1", ActiveModelFile.ActiveKey(folder.Path));
    }

    [TestMethod]
    public void Rollback_SingleActivation_RefusedAndRecordUnchanged()
    {
        using var folder = new TempFolder();
        ActiveModelFile.Activate(folder.Path, new ActiveModelEntry("a/1", "aa", At, "cli"));
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ActiveModelFile.Rollback(folder.Path, "cli", At));
        StringAssert.Contains(e.Message, "no earlier activation");
        Assert.AreEqual("a/1", ActiveModelFile.ActiveKey(folder.Path));
    }

    [TestMethod]
    public void Read_CorruptFile_ErrorNamesTheFile()
    {
        using var folder = new TempFolder();
        File.WriteAllText(ActiveModelFile.PathIn(folder.Path), "{ not json");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ActiveModelFile.Read(folder.Path));
        StringAssert.Contains(e.Message, ActiveModelFile.PathIn(folder.Path));
    }
}

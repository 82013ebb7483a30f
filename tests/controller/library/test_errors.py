from controller.library import errors


def test_too_large_is_413_with_limit_in_both_languages():
    err = errors.UploadTooLarge(200 * 1024 * 1024)
    assert isinstance(err, errors.IngestError)
    assert (err.code, err.status) == ("too_large", 413)
    assert "200 MB" in err.message_vi and "200 MB" in err.message_en


def test_other_refusals_are_422_with_vietnamese_message():
    for err in (errors.empty(), errors.not_audio(), errors.corrupt(), errors.silent()):
        assert err.status == 422
        assert err.to_dict()["message"] == err.message_vi
        assert err.message_vi != err.message_en


def test_too_long_states_duration_and_limit():
    err = errors.too_long(5400, 3600)
    assert err.code == "too_long"
    assert "90 phút" in err.message_vi and "60 phút" in err.message_vi
    assert "90 min" in err.message_en
    assert "giây" in errors.too_long(None, 30).message_vi

"""The learned triage model: a linear classifier over word and character n-grams.

[LinearClassifier][walletsupport.issues.LinearClassifier] is what
[triage][walletsupport.issues.triage] runs by default: the shipped model, learned by
[fit][walletsupport.issues.fit] from BANKING77 (mapped to taxonomy v2) and the project's own
English, Chinese and mixed examples, is loaded from the package on first use
([builtin_classifier][walletsupport.issues.builtin_classifier]). Inference is pure Python: no
numpy, no scikit-learn.

How a message is scored:

1. ``_features.features``: word 1- and 2-grams, character 3- to 5-grams of each word, and
   Chinese character 1- to 3-grams. Features the model never saw are ignored.
2. Each known feature carries its TF-IDF-weighted weights for every class, quantised to
   16 bits and stored around an offset of 2**15 (so no lane is ever negative), packed in one
   Python integer with 32-bit lanes: one lane per class and one for the squared IDF weight
   (the row of a feature ``explain`` may name is made negative, by a constant above every
   lane). Summing the features of a message adds all classes at once, one big-integer
   addition per feature, in C (``sum`` over ``dict.get``); the 16 spare bits of each lane
   hold the sum of up to 65,536 features (more than that, and the message is scored on
   plain floats). One unpack then gives every class total and the squared norm; the number
   of known features removes the offsets. The sums are exact integers, so the fast path
   differs from plain float arithmetic on the stored weights only by floating-point
   rounding (a property test holds it within 1e-9).
3. The class scores are divided by the L2 norm of the message's TF-IDF vector, the bias is
   added, and a softmax at the calibrated temperature turns them into probabilities.

An integrator's category that the model does not know takes part through its examples: the
cosine similarity of the message to the centroid of the category's examples becomes one more
logit, ``alpha * similarity + beta``, with ``alpha`` and ``beta`` fitted at training time by
replacing each known class in turn with its centroid on the calibration split.

The file format (``save`` / ``load``): the magic ``WSTRIAGE``, a little-endian 32-bit header
length, a JSON header (format version, classes, bias, scales, temperature, CRC-32 of the
payload, metadata), then the payload: the zlib-compressed vocabulary (one feature a line) and
the packed weight rows as little-endian 32-bit lanes. Plain numbers and strings: no pickle,
nothing is executed when a model is loaded.
"""

from __future__ import annotations

import json
import math
import re
import struct
import zlib
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Protocol, runtime_checkable

from walletsupport.errors import ConfigurationError, InvalidInputError
from walletsupport.issues import _features
from walletsupport.issues.categories import OTHER_ID

__all__ = ["FORMAT_VERSION", "Classifier", "LinearClassifier", "builtin_classifier"]

#: The version of the model file format this library reads and writes.
FORMAT_VERSION = 1
_MAGIC = b"WSTRIAGE"
_LANE_BITS = 32
_LANE_BYTES = _LANE_BITS // 8
_OFFSET = 1 << 15  # weights are stored as unsigned 16-bit numbers around this offset
_LANE_MASK = (1 << _LANE_BITS) - 1
_HEADROOM = 1 << (_LANE_BITS - 16)  # features a lane can sum without overflowing
_MAX_HEADER = 1 << 20
_ZEROS = repeat(0)  # ``dict.get(feature, 0)`` for every feature, in C
_READABLE = re.compile(rf"^(?:=.*|[{_features.CJK_CHARS}].+)$", re.MULTILINE)
_SHIPPED = "triage_model.bin"


@runtime_checkable
class Classifier(Protocol):
    """A triage model: calibrated probabilities over a fixed tuple of class ids.

    ``classes`` are issue category ids, optionally with ``"other"`` (the answer "none of
    these"). ``predict_proba(text)`` returns one probability per class, in ``classes`` order,
    summing to 1. Give it to a registry with
    [IssueRegistry.use_classifier][walletsupport.issues.IssueRegistry.use_classifier] and
    ``triage`` and ``assist`` use it. A model may also offer
    ``explain(text, class_id, limit) -> tuple[tuple[str, float], ...]`` to name the features
    behind a score; triage reports them as evidence when it does.

    Examples:
        >>> class Always:
        ...     classes = ("app_crash", "other")
        ...     def predict_proba(self, text):
        ...         return [0.9, 0.1]
        >>> isinstance(Always(), Classifier)
        True
    """

    @property
    def classes(self) -> Sequence[str]:
        """The class ids, in the order of ``predict_proba``."""
        ...

    def predict_proba(self, text: str) -> Sequence[float]:
        """One calibrated probability per class for ``text``."""
        ...


@dataclass(frozen=True, slots=True)
class _Extension:
    """An extra class learned from a registry category's examples alone."""

    category_id: str
    centroid: Mapping[str, float]  # feature -> weight; the centroid has unit length
    examples: tuple[Mapping[str, float], ...]  # each example as a unit vector


class LinearClassifier:
    """A calibrated linear classifier over text features; the shipped triage model is one.

    Build one with [fit][walletsupport.issues.fit] (training needs the ``train`` extra) or
    [LinearClassifier.load][walletsupport.issues.LinearClassifier.load]; it follows the
    [Classifier][walletsupport.ports.Classifier] protocol, so ``triage``, ``assist`` and the
    registry can use it.

    Examples:
        >>> model = builtin_classifier()
        >>> len(model.classes), "other" in model.classes
        (21, True)
        >>> probs = model.predict_proba("I lost my card")
        >>> model.classes[max(range(len(probs)), key=probs.__getitem__)]
        'lost_or_stolen'
        >>> round(sum(probs), 6)
        1.0
    """

    __slots__ = (
        "_bias",
        "_extensions",
        "_high",
        "_idf_scale",
        "_meta",
        "_n_known",
        "_other",
        "_packed",
        "_temperature",
        "_unpack",
        "_weight_scale",
        "_width",
        "alpha",
        "beta",
    )

    def __init__(
        self,
        *,
        classes: Sequence[str],
        vocabulary: Sequence[str],
        weights: Sequence[Sequence[float]],
        idf: Sequence[float],
        bias: Sequence[float],
        temperature: float = 1.0,
        alpha: float = 10.0,
        beta: float = -5.0,
        meta: Mapping[str, object] | None = None,
    ) -> None:
        try:
            self._build(classes, vocabulary, weights, idf, bias, temperature, alpha, beta, meta)
        except ConfigurationError:
            raise
        except (TypeError, ValueError, OverflowError, AttributeError) as exc:
            raise ConfigurationError(f"invalid classifier definition: {exc}") from None

    def _build(
        self,
        classes: Sequence[str],
        vocabulary: Sequence[str],
        weights: Sequence[Sequence[float]],
        idf: Sequence[float],
        bias: Sequence[float],
        temperature: float,
        alpha: float,
        beta: float,
        meta: Mapping[str, object] | None,
    ) -> None:
        if isinstance(classes, str) or isinstance(vocabulary, str):
            raise ConfigurationError("classes and vocabulary must be sequences of strings")
        if meta is not None and not isinstance(meta, Mapping):
            raise ConfigurationError("meta must be a mapping")
        classes = tuple(classes)
        if not classes or len(set(classes)) != len(classes):
            raise ConfigurationError("a classifier needs distinct class ids")
        if any(not isinstance(c, str) or not c for c in classes):
            raise ConfigurationError("class ids must be non-empty strings")
        k = len(classes)
        if len(vocabulary) != len(weights) or len(vocabulary) != len(idf):
            raise ConfigurationError("vocabulary, weights and idf must have one row per feature")
        if len(bias) != k or any(len(row) != k for row in weights):
            raise ConfigurationError("every weight row and the bias need one value per class")
        if not all(isinstance(v, str) and v for v in vocabulary):
            raise ConfigurationError("vocabulary entries must be non-empty strings")
        if len(set(vocabulary)) != len(vocabulary) or any("\n" in v for v in vocabulary):
            raise ConfigurationError("vocabulary entries must be distinct and on one line")
        numbers = [temperature, alpha, beta, *bias, *idf, *(w for row in weights for w in row)]
        if not all(type(v) in (int, float) and math.isfinite(v) for v in numbers):
            raise ConfigurationError("weights, idf, bias, temperature, alpha, beta must be finite")
        if not temperature > 0:
            raise ConfigurationError("temperature must be a positive number")
        folded = [[w * f for w in row] for row, f in zip(weights, idf, strict=True)]
        biggest = max((abs(w) for row in folded for w in row), default=0.0) or 1.0
        weight_scale = (_OFFSET - 1) / biggest
        squares = [f * f for f in idf]
        idf_scale = 65535.0 / (max(squares, default=0.0) or 1.0)
        lanes = array("I", bytes(_LANE_BYTES * (k + 1) * len(vocabulary)))
        at = 0
        for row, square in zip(folded, squares, strict=True):
            for w in row:
                lanes[at] = _OFFSET + round(w * weight_scale)
                at += 1
            lanes[at] = round(square * idf_scale)
            at += 1
        self._setup(
            classes=classes,
            vocabulary=tuple(vocabulary),
            lanes=lanes,
            bias=tuple(float(b) for b in bias),
            weight_scale=weight_scale,
            idf_scale=idf_scale,
            temperature=float(temperature),
            alpha=float(alpha),
            beta=float(beta),
            meta=dict(meta or {}),
        )

    def _setup(
        self,
        *,
        classes: tuple[str, ...],
        vocabulary: tuple[str, ...],
        lanes: array[int] | bytes,
        bias: tuple[float, ...],
        weight_scale: float,
        idf_scale: float,
        temperature: float,
        alpha: float,
        beta: float,
        meta: dict[str, object],
    ) -> None:
        k = len(classes)
        self._meta = {**meta, "classes": list(classes)}
        raw = lanes if isinstance(lanes, bytes) else lanes.tobytes()
        width = (k + 1) * _LANE_BYTES
        from_bytes = int.from_bytes
        # the row of a feature ``explain`` may name (``_readable``, found in C) has ``high``
        # taken off, so it is negative: ``row < 0`` tells it, and a sum modulo ``high``
        # (above every lane) is the sum of the lanes. No row is 0 (every class lane is at
        # least 1), so 0 stands for "unknown feature".
        high = 1 << ((k + 1) * _LANE_BITS)
        rows = [from_bytes(raw[i : i + width], "little") for i in range(0, len(raw), width)]
        packed: dict[str, int] = dict(zip(vocabulary, rows, strict=True))
        for feature in _READABLE.findall("\n".join(vocabulary)):
            packed[feature] -= high
        self._packed = packed
        self._high = high
        self._width = width
        self._unpack = struct.Struct(f"<{k + 1}I").unpack
        self._n_known = k
        self._other = classes.index(OTHER_ID) if OTHER_ID in classes else None
        self._bias = bias
        self._weight_scale = weight_scale
        self._idf_scale = idf_scale
        self._temperature = temperature
        self._extensions: tuple[_Extension, ...] = ()
        self.alpha = alpha
        self.beta = beta

    # --- the Classifier protocol ---------------------------------------------------------

    @property
    def classes(self) -> tuple[str, ...]:
        """The class ids, in the order of ``predict_proba``: the model's, then extensions."""
        own: list[str] = self._meta["classes"]  # type: ignore[assignment]
        return (*own, *(e.category_id for e in self._extensions))

    def predict_proba(self, text: str) -> list[float]:
        """Calibrated probabilities of every class for ``text``, summing to 1.

        Raises:
            InvalidInputError: ``text`` is not a string.
        """
        if not isinstance(text, str):
            raise InvalidInputError(f"text must be a string, not {type(text).__name__}")
        return self._softmax(self._logits(_features.features(text)))

    # --- more --------------------------------------------------------------------------

    @property
    def temperature(self) -> float:
        """The softmax temperature fitted on the calibration split."""
        return self._temperature

    @property
    def metadata(self) -> Mapping[str, object]:
        """What the model says about itself: training data, licence, figures measured."""
        return dict(self._meta)

    @property
    def size(self) -> int:
        """The number of features the model knows."""
        return len(self._packed)

    def extended(self, examples: Mapping[str, Sequence[str]]) -> LinearClassifier:
        """A copy that also scores the categories in ``examples`` from their examples alone.

        Each new category's logit is ``alpha * similarity + beta``, in the same softmax as the
        learned classes, where ``similarity`` is the cosine of the message to the centroid of
        the category's examples or to its closest example, whichever is higher.

        Raises:
            InvalidInputError: a category id is already a class, or has no example text.

        Examples:
            >>> model = builtin_classifier().extended(
            ...     {"merchant_settlement": ["our shop has not been settled",
            ...                              "settlement of my restaurant takings is late"]})
            >>> model.classes[-1]
            'merchant_settlement'
        """
        if not isinstance(examples, Mapping):
            raise InvalidInputError("examples must map category ids to example texts")
        known = set(self.classes)
        added: list[_Extension] = []
        for category_id, texts in examples.items():
            if not isinstance(category_id, str) or not category_id:
                raise InvalidInputError("category ids must be non-empty strings")
            if isinstance(texts, str) or not isinstance(texts, Sequence):
                raise InvalidInputError(f"examples of {category_id!r} must be a sequence of texts")
            if category_id in known or category_id == OTHER_ID:
                raise InvalidInputError(f"{category_id!r} is already a class of the model")
            vectors = [_unit(_features.features(t)) for t in texts if isinstance(t, str)]
            vectors = [v for v in vectors if v]
            if not vectors:
                raise InvalidInputError(f"category {category_id!r} has no example text")
            centroid: dict[str, float] = {}
            for vector in vectors:
                for feature, value in vector.items():
                    centroid[feature] = centroid.get(feature, 0.0) + value
            norm = math.sqrt(sum(v * v for v in centroid.values()))
            added.append(
                _Extension(category_id, {f: v / norm for f, v in centroid.items()}, tuple(vectors))
            )
            known.add(category_id)
        clone = object.__new__(LinearClassifier)
        for slot in LinearClassifier.__slots__:
            setattr(clone, slot, getattr(self, slot))
        clone._extensions = (*self._extensions, *added)
        return clone

    def explain(self, text: str, class_id: str, limit: int = 3) -> tuple[tuple[str, float], ...]:
        """The known features of ``text`` that raise ``class_id`` most, with their share.

        Only features of the model's vocabulary (or of a category's examples) are named,
        never other words of the message, and only readable ones: words, word pairs and
        Chinese character groups.

        Examples:
            >>> [term for term, share in builtin_classifier().explain(
            ...     "I forgot my password", "forgot_password", 2)]
            ['password', 'forgot']
        """
        if not isinstance(text, str) or not isinstance(class_id, str):
            raise InvalidInputError("text and class_id must be strings")
        if type(limit) is not int:
            raise InvalidInputError(f"limit must be an int, not {type(limit).__name__}")
        return self._explain(_features.features(text), class_id, limit)

    def _explain(self, feats: set[str], class_id: str, limit: int) -> tuple[tuple[str, float], ...]:
        classes = self.classes
        if class_id not in classes:
            return ()
        return self._explain_class(feats, classes.index(class_id), limit)

    def _explain_class(
        self,
        feats: set[str],
        ci: int,
        limit: int,
        readable: list[tuple[str, int]] | None = None,
    ) -> tuple[tuple[str, float], ...]:
        # ``readable``: ``_readable_rows(feats, ...)`` when the caller has it already
        found: list[tuple[float, str]] = []
        if ci < self._n_known:
            if readable is None:
                readable = self._readable_rows(feats, self._rows_of(feats))
            shift = ci * _LANE_BITS  # the lanes of a negative row are those of row + high
            offset = _OFFSET
            # (minus the stored weight, feature), best first; the weight is the stored one
            # over weight_scale, so the order is the same
            lanes = sorted([(offset - ((row >> shift) & _LANE_MASK), f) for f, row in readable])
            scale = self._weight_scale
            found = [(-lane / scale, feature) for lane, feature in lanes if lane < 0]
        else:
            centroid = self._extensions[ci - self._n_known].centroid
            found = [(centroid[f], f) for f in feats if f in centroid and _readable(f)]
            found.sort(key=lambda item: (-item[0], item[1]))
        total = sum(w for w, _ in found) or 1.0
        return tuple([(_display(f), round(w / total, 4)) for w, f in found[: max(limit, 0)]])

    def _rows_of(self, feats: Iterable[str]) -> list[int]:
        """The packed row of each feature, in iteration order, 0 for an unknown one."""
        return list(map(self._packed.get, feats, _ZEROS))

    def _readable_rows(self, feats: Iterable[str], rows: list[int]) -> list[tuple[str, int]]:
        """The features (and rows) ``explain`` may name; ``rows`` from ``_rows_of(feats)``."""
        return [(f, row) for f, row in zip(feats, rows, strict=True) if row < 0]

    def _readable_features(self) -> frozenset[str]:
        """The vocabulary ``explain`` may name."""
        return frozenset(f for f, row in self._packed.items() if row < 0)

    def _file_rows(self) -> list[int]:
        """Each feature's row as the file stores it: the class lanes, then the squared IDF."""
        high = self._high
        return [row % high for row in self._packed.values()]

    def _logits(self, feats: set[str], rows: list[int] | None = None) -> list[float]:
        # ``rows``: ``_rows_of(feats)`` when the caller has it already
        if rows is None:
            rows = self._rows_of(feats)
        # so many features that a lane might overflow: add floats instead
        fast = len(rows) < _HEADROOM
        logits = self._fast_logits(rows) if fast else self._float_logits(feats)
        if self._extensions:
            self._extension_logits(feats, logits)
        return logits

    def _fast_logits(self, rows: list[int]) -> list[float]:
        # the packed rows of the message's features (0 for unknown ones), summed in C
        total = sum(rows)
        if not total:
            return list(self._bias)
        k = self._n_known
        lanes = self._unpack((total % self._high).to_bytes(self._width, "little"))
        norm = math.sqrt(lanes[k] / self._idf_scale) or 1.0
        scale = 1.0 / (self._weight_scale * norm)
        offset = _OFFSET * (len(rows) - rows.count(0))  # the known features
        classes = lanes[:k]
        return [b + (lane - offset) * scale for b, lane in zip(self._bias, classes, strict=True)]

    def _float_logits(self, feats: Iterable[str]) -> list[float]:
        # the plain definition: dense float arithmetic on the stored weights, one feature
        # and one class at a time
        k = self._n_known
        unpack = self._unpack
        width = self._width
        packed = self._packed
        sums = [0.0] * k
        squares = 0.0
        for feature in feats:
            row = packed.get(feature)
            if row is None:
                continue
            lanes = unpack((row % self._high).to_bytes(width, "little"))
            for c in range(k):
                sums[c] += (lanes[c] - _OFFSET) / self._weight_scale
            squares += lanes[k] / self._idf_scale
        norm = math.sqrt(squares) or 1.0
        return [b + s / norm for b, s in zip(self._bias, sums, strict=True)]

    def _exact_logits(self, feats: set[str]) -> list[float]:
        """The logits on plain floats, without the packed sums (what the fast path is held to)."""
        logits = self._float_logits(feats)
        if self._extensions:
            self._extension_logits(feats, logits)
        return logits

    def _exact_proba(self, feats: set[str]) -> list[float]:
        return self._softmax(self._exact_logits(feats))

    def _extension_logits(self, feats: set[str], logits: list[float]) -> None:
        if self._extensions:
            unit = _unit(feats)
            best = 0.0
            for extension in self._extensions:
                centroid = extension.centroid
                similarity = sum(v * centroid.get(f, 0.0) for f, v in unit.items())
                # the closest single example counts too: a message like one example is as
                # strong evidence as one like all of them
                for example in extension.examples:
                    close = sum(v * example.get(f, 0.0) for f, v in unit.items())
                    similarity = max(similarity, close)
                best = max(best, similarity)
                logits.append(self.alpha * similarity + self.beta)
            if self._other is not None:
                # resembling a registered category is evidence against "none of these",
                # which the model learned without knowing that category
                logits[self._other] -= self.alpha * best

    def _softmax(self, logits: list[float]) -> list[float]:
        t = self._temperature
        top = max(logits)
        exp = math.exp
        exps = [exp((z - top) / t) for z in logits]
        total = sum(exps)
        return [e / total for e in exps]

    # --- files -------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The model in the versioned file format (see ``load``)."""
        vocabulary = "\n".join(self._packed).encode("utf-8")
        width = (self._n_known + 1) * _LANE_BYTES
        lanes = b"".join(row.to_bytes(width, "little") for row in self._file_rows())
        payload = zlib.compress(vocabulary, 9) + lanes
        header = json.dumps(
            {
                "format": FORMAT_VERSION,
                "classes": list(self._meta["classes"]),  # type: ignore[call-overload]
                "features": len(self._packed),
                "vocabulary_bytes": len(zlib.compress(vocabulary, 9)),
                "bias": list(self._bias),
                "weight_scale": self._weight_scale,
                "idf_scale": self._idf_scale,
                "temperature": self._temperature,
                "alpha": self.alpha,
                "beta": self.beta,
                "payload_crc32": zlib.crc32(payload),
                "meta": {key: v for key, v in self._meta.items() if key != "classes"},
            },
            ensure_ascii=False,
            sort_keys=True,
        ).encode("utf-8")
        return _MAGIC + struct.pack("<I", len(header)) + header + payload

    def save(self, path: str | Path) -> None:
        """Write the model to ``path`` (see ``load``).

        Raises:
            InvalidInputError: the file cannot be written, or the model has extensions
                (they are rebuilt from the registry's examples, never stored).
        """
        if self._extensions:
            raise InvalidInputError("save the model before extending it with categories")
        try:
            Path(path).write_bytes(self.to_bytes())
        except (OSError, TypeError, ValueError) as exc:
            raise InvalidInputError("cannot write the model to that path") from exc

    @classmethod
    def from_bytes(cls, data: bytes) -> LinearClassifier:
        """Read a model written by ``to_bytes``.

        Raises:
            ConfigurationError: not a model file, another format version, or damaged.
        """
        if not isinstance(data, bytes | bytearray) or not data.startswith(_MAGIC):
            raise ConfigurationError("not a walletsupport triage model")
        try:
            (length,) = struct.unpack_from("<I", data, len(_MAGIC))
            if length > _MAX_HEADER:
                raise ValueError("header too long")
            start = len(_MAGIC) + 4
            header = json.loads(data[start : start + length].decode("utf-8"))
            if not isinstance(header, dict):
                raise ValueError("header is not an object")
            version = header.get("format")
            if version != FORMAT_VERSION:
                raise ConfigurationError(
                    f"model format {version!r} is not supported (this library reads "
                    f"{FORMAT_VERSION})"
                )
            payload = bytes(data[start + length :])
            if zlib.crc32(payload) != header["payload_crc32"]:
                raise ValueError("payload checksum mismatch")
            classes = tuple(str(c) for c in header["classes"])
            split = int(header["vocabulary_bytes"])
            words = zlib.decompress(payload[:split]).decode("utf-8")
            vocabulary = tuple(words.split("\n")) if words else ()
            lanes = payload[split:]
            if (
                len(vocabulary) != int(header["features"])
                or len(lanes) != len(vocabulary) * (len(classes) + 1) * _LANE_BYTES
            ):
                raise ValueError("payload does not match the header")
            bias = tuple(float(b) for b in header["bias"])
            if len(bias) != len(classes) or len(set(classes)) != len(classes):
                raise ValueError("bias does not match the classes")
            model = object.__new__(cls)
            model._setup(
                classes=classes,
                vocabulary=vocabulary,
                lanes=lanes,
                bias=bias,
                weight_scale=float(header["weight_scale"]),
                idf_scale=float(header["idf_scale"]),
                temperature=float(header["temperature"]),
                alpha=float(header["alpha"]),
                beta=float(header["beta"]),
                meta=dict(header.get("meta") or {}),
            )
        except ConfigurationError:
            raise
        except (ValueError, KeyError, TypeError, OverflowError, struct.error, zlib.error) as exc:
            raise ConfigurationError("damaged walletsupport triage model") from exc
        return model

    @classmethod
    def load(cls, path: str | Path) -> LinearClassifier:
        """Read a model file written by ``save``.

        Raises:
            InvalidInputError: the file cannot be read.
            ConfigurationError: not a model file, another format version, or damaged.
        """
        try:
            data = Path(path).read_bytes()
        except (OSError, TypeError, ValueError) as exc:
            raise InvalidInputError("cannot read a model from that path") from exc
        return cls.from_bytes(data)

    def __repr__(self) -> str:
        return f"LinearClassifier({len(self.classes)} classes, {self.size} features)"


@cache
def builtin_classifier() -> LinearClassifier:
    """The shipped triage model, loaded from the package on first use and kept.

    Examples:
        >>> builtin_classifier() is builtin_classifier()
        True
    """
    data = resources.files("walletsupport.issues").joinpath(_SHIPPED).read_bytes()
    return LinearClassifier.from_bytes(data)


def _unit(feats: Iterable[str]) -> dict[str, float]:
    distinct = set(feats)
    if not distinct:
        return {}
    value = 1.0 / math.sqrt(len(distinct))
    return dict.fromkeys(distinct, value)


def _readable(feature: str) -> bool:
    if feature.startswith("="):
        return True
    return _features.is_cjk(feature) and len(feature) >= 2


def _display(feature: str) -> str:
    return feature.replace("=", "")

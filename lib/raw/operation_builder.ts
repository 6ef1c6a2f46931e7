// Fluent builder over Graph.addOperation, with one setter per C API attribute kind.
import { DType, dtypeToEnum } from '../dtypes';
import { NativeAttr, NativeGraph, NativeOperation, NativeOutput, NativeTensor } from '../native';

/** A shape attribute: dims with -1 for unknown, or null for unknown rank. */
export type ShapeAttr = readonly number[] | null;

export class OperationBuilder {
  private readonly inputs: (NativeOutput | readonly NativeOutput[])[] = [];
  private readonly controlInputs: NativeOperation[] = [];
  private readonly colocateWith: NativeOperation[] = [];
  private readonly attrs: NativeAttr[] = [];
  private device?: string;
  private finished = false;

  constructor(
    private readonly graph: NativeGraph,
    private readonly type: string,
    private readonly name: string,
  ) {}

  addInput(input: NativeOutput): this {
    this.inputs.push(input);
    return this;
  }

  addInputList(inputs: readonly NativeOutput[]): this {
    this.inputs.push([...inputs]);
    return this;
  }

  addControlInput(op: NativeOperation): this {
    this.controlInputs.push(op);
    return this;
  }

  setDevice(device: string): this {
    this.device = device;
    return this;
  }

  colocateWithOp(op: NativeOperation): this {
    this.colocateWith.push(op);
    return this;
  }

  setAttrInt(name: string, value: number | bigint): this {
    return this.attr(name, 'int', value);
  }
  setAttrFloat(name: string, value: number): this {
    return this.attr(name, 'float', value);
  }
  setAttrBool(name: string, value: boolean): this {
    return this.attr(name, 'bool', value);
  }
  setAttrType(name: string, value: DType): this {
    return this.attr(name, 'type', dtypeToEnum(value));
  }
  setAttrShape(name: string, value: ShapeAttr): this {
    return this.attr(name, 'shape', value);
  }
  setAttrString(name: string, value: string | Uint8Array): this {
    return this.attr(name, 'string', value);
  }
  setAttrTensor(name: string, value: NativeTensor): this {
    return this.attr(name, 'tensor', value);
  }
  setAttrFuncName(name: string, value: string): this {
    return this.attr(name, 'func', value);
  }
  /** Any attribute as a serialized AttrValue proto (the C API's escape hatch, e.g. for list(func)). */
  setAttrValueProto(name: string, value: Uint8Array): this {
    return this.attr(name, 'proto', value);
  }
  setAttrIntList(name: string, value: readonly (number | bigint)[]): this {
    return this.attr(name, 'list(int)', value);
  }
  setAttrFloatList(name: string, value: readonly number[]): this {
    return this.attr(name, 'list(float)', value);
  }
  setAttrBoolList(name: string, value: readonly boolean[]): this {
    return this.attr(name, 'list(bool)', value);
  }
  setAttrTypeList(name: string, value: readonly DType[]): this {
    return this.attr(name, 'list(type)', value.map(dtypeToEnum));
  }
  setAttrShapeList(name: string, value: readonly ShapeAttr[]): this {
    return this.attr(name, 'list(shape)', value);
  }
  setAttrStringList(name: string, value: readonly (string | Uint8Array)[]): this {
    return this.attr(name, 'list(string)', value);
  }
  setAttrTensorList(name: string, value: readonly NativeTensor[]): this {
    return this.attr(name, 'list(tensor)', value);
  }

  /** Adds the operation to the graph; TF validates it here (unknown type, attr kinds, input dtypes). */
  finish(): NativeOperation {
    if (this.finished) throw new Error(`OperationBuilder for '${this.name}' was already finished`);
    this.finished = true;
    return this.graph.addOperation({
      type: this.type,
      name: this.name,
      inputs: this.inputs,
      controlInputs: this.controlInputs,
      colocateWith: this.colocateWith,
      device: this.device,
      attrs: this.attrs,
    });
  }

  private attr(name: string, kind: string, value: unknown): this {
    this.attrs.push([name, kind, value]);
    return this;
  }
}
